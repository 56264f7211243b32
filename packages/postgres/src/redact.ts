// Error messages end up in logs. A connection string or a driver's message may carry the database password,
// so every message the package builds passes through `redactSecrets` with the secrets of the pool it used.

const MASK = '***';
const WITHHELD = '(details withheld: they contained a secret)';

/** What a pool's configuration tells about its secrets: `pg`'s pool options, or anything shaped like them. */
export interface SecretSource {
  readonly password?: unknown;
  readonly connectionString?: string | undefined;
}

/** The password a connection string carries (`postgres://user:password@host/db`), raw and decoded. */
const connectionStringPasswords = (connectionString: string): ReadonlyArray<string> => {
  // The userinfo ends at the authority's last "@" (a password may hold "@"), as pg reads it; `?password=` too.
  const raw = /^[a-z][a-z0-9+.-]*:\/\/[^:/@?#]*:([^/?#]*)@/i.exec(connectionString)?.[1];
  const query = /[?&]password=([^&#]*)/i.exec(connectionString)?.[1];
  const keyword = /(?:^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/i.exec(connectionString)?.[1];
  const found = [raw, query, keyword?.replace(/^'(.*)'$/s, '$1')].filter((s): s is string => s !== undefined && s !== '');
  return found.flatMap((secret) => {
    try {
      return [secret, decodeURIComponent(secret)];
    } catch {
      return [secret];
    }
  });
};

/** Every secret a pool's options hold: its `password` (when a string) and the one in its connection string. */
export const secretsOf = (options: SecretSource): ReadonlyArray<string> => {
  const given = typeof options.password === 'string' && options.password !== '' ? [options.password] : [];
  const inUrl = options.connectionString === undefined ? [] : connectionStringPasswords(options.connectionString);
  return [...new Set([...given, ...inUrl])];
};

/**
 * The message with every known secret masked, and with any password-shaped part masked too (the userinfo of
 * a URL, a `password=` keyword), so a secret the pool did not declare does not slip through either.
 */
export const redactSecrets = (message: string, secrets: ReadonlyArray<string>): string => {
  const known = secrets.filter((secret) => secret !== '');
  // Longest first, so a secret that contains a shorter one is masked whole.
  const masked = [...known]
    .sort((a, b) => b.length - a.length)
    .reduce((text, secret) => text.split(secret).join(MASK), message)
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@?#\s]*:)[^/?#\s]*@/gi, `$1${MASK}@`)
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/gi, `$1${MASK}`);
  // A secret made of the mask's own characters (or spanning a mask and its neighbours) can survive masking:
  // then nothing of the message is told rather than the secret.
  return known.some((secret) => masked.includes(secret)) ? WITHHELD : masked;
};
