import { fileURLToPath } from 'node:url';

/** The published packages, in dependency order (a package is built and packed after what it depends on). */
export const PUBLISHED_PACKAGES = ['core', 'testing', 'eventstoredb', 'twilio'] as const;
export type PublishedPackage = (typeof PUBLISHED_PACKAGES)[number];

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const packageDir = (name: PublishedPackage): string => fileURLToPath(new URL(`../packages/${name}/`, import.meta.url));
