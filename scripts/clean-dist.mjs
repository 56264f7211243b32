// Empties a package's dist/ before tsc emits into it, so a file removed from src/ never ships from an old build.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
