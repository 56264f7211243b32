/**
 * Removes a secret from text that may end up in an error or a log. The SDK sends the auth token as HTTP
 * Basic credentials, so besides the token itself we remove the base64 form of `accountSid:authToken`
 * (what an `Authorization` header carries) and, for good measure, the token's percent-encoded form.
 */
export const makeRedactor = (accountSid: string, authToken: string): ((text: string) => string) => {
  const secrets = [
    authToken,
    encodeURIComponent(authToken),
    Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64'),
  ].filter((s, i, all) => s.length > 0 && all.indexOf(s) === i);
  return (text: string): string => secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
};
