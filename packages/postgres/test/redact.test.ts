// Messages built from a driver's errors pass through redactSecrets: no password survives it.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { redactSecrets, secretsOf } from '../src/redact.js';

describe('secretsOf', () => {
  it('finds the password of the options and of a connection string, raw and percent-decoded', () => {
    expect(secretsOf({ password: 's3cret' })).toEqual(['s3cret']);
    expect(secretsOf({ connectionString: 'postgres://app:p%40ss@db:5432/mc' })).toEqual(['p%40ss', 'p@ss']);
    expect(secretsOf({ connectionString: "host=db user=app password='a b' dbname=mc" })).toEqual(['a b']);
    expect(secretsOf({ password: () => 'from a function' })).toEqual([]);
    expect(secretsOf({ connectionString: 'postgres://app@db/mc' })).toEqual([]);
  });

  it('reads a password holding "@" to the last "@" of the authority, and a ?password= parameter, as pg does', () => {
    expect(secretsOf({ connectionString: 'postgres://app:s3cr@tpass@db.example:5432/mc' })).toEqual(['s3cr@tpass']);
    expect(secretsOf({ connectionString: 'postgres://app@db.example/mc?password=hunter2' })).toEqual(['hunter2']);
    expect(redactSecrets('password "s3cr@tpass" invalid', secretsOf({ connectionString: 'postgres://app:s3cr@tpass@db/mc' }))).toBe('password "***" invalid');
    expect(redactSecrets('cannot reach postgres://app:s3cr@tpass@db/mc', [])).toBe('cannot reach postgres://app:***@db/mc');
  });
});

describe('redactSecrets', () => {
  it('masks the known secrets and any URL userinfo password or password= keyword', () => {
    expect(redactSecrets('auth failed for s3cret', ['s3cret'])).toBe('auth failed for ***');
    expect(redactSecrets('cannot reach postgres://app:other@db/mc', [])).toBe('cannot reach postgres://app:***@db/mc');
    expect(redactSecrets('bad: host=db password=other dbname=mc', [])).toBe('bad: host=db password=*** dbname=mc');
  });

  it('withholds the message when a secret would survive masking (a secret made of asterisks)', () => {
    expect(redactSecrets('failed: **', ['**'])).toBe('(details withheld: they contained a secret)');
  });

  test.prop([fc.string(), fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }), fc.string()])(
    'no known secret is left in any message built around it',
    (before, secrets, after) => {
      const message = `${before}${secrets.join(' ')}${after}`;
      const redacted = redactSecrets(message, secrets);
      for (const secret of secrets) expect(redacted).not.toContain(secret);
    },
  );
});
