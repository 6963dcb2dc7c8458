/** Which OpenCart schema to build: 3.0.x or 4.x. */
export type OpenCartVersion = '3' | '4';
