import { createSign, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';

// RS256 JWTs for access and id tokens, with the public key published at the jwks URI so an
// OpenID client (openid-client, under xero-node) can verify the id_token as it does with Xero.

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export class JwtSigner {
  readonly kid = randomUUID().replace(/-/g, '').toUpperCase();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  sign(payload: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'RS256', kid: this.kid, typ: 'JWT', x5t: this.kid }));
    const body = base64url(JSON.stringify(payload));
    const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(this.privateKey);
    return `${header}.${body}.${base64url(signature)}`;
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    return { keys: [{ ...jwk, kid: this.kid, use: 'sig', alg: 'RS256', kty: 'RSA', x5t: this.kid }] };
  }
}
