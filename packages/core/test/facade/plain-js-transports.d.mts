import type { SmsTransport } from '@message-center/core';

export declare const forgetfulTransport: (onSend: () => void) => SmsTransport;
export declare const oddIdTransport: () => SmsTransport;
export declare const garbageFailureTransport: () => SmsTransport;
