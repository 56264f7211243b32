import { CountryCode, E164, MessageId } from '@message-center/core';

const must =
  <A>(name: string, is: (u: unknown) => u is A) =>
  (value: string): A => {
    if (!is(value)) throw new Error(`test fixture is not a valid ${name}: ${value}`);
    return value;
  };

/** Branded values for fixtures, checked by the core's own codecs. */
export const brand = {
  messageId: must('MessageId', MessageId.is),
  e164: must('E164', E164.is),
  country: must('CountryCode', CountryCode.is),
};
