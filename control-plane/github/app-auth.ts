// GitHub App authentication: an app JWT signed with jose (RS256) from the app's private key.
import { importPKCS8, SignJWT } from "jose";

/** DER length bytes. */
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

// GitHub hands out PKCS#1 keys ("BEGIN RSA PRIVATE KEY"); WebCrypto imports PKCS#8 only: wrap the key in a
// PrivateKeyInfo (version 0, rsaEncryption, the PKCS#1 key as an OCTET STRING).
function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  const algorithm = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const octets = [0x04, ...derLength(pkcs1.byteLength)];
  const body = [0x02, 0x01, 0x00, ...algorithm, ...octets];
  const total = body.length + pkcs1.byteLength;
  return new Uint8Array([0x30, ...derLength(total), ...body, ...pkcs1]);
}

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** A PEM private key (PKCS#8, or GitHub's PKCS#1) as PKCS#8 PEM. */
export function toPkcs8Pem(pem: string): string {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  if (!pem.includes("BEGIN RSA PRIVATE KEY")) return pem;
  const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  const wrapped = base64(pkcs1ToPkcs8(der)).replace(/(.{64})/g, "$1\n");
  return `-----BEGIN PRIVATE KEY-----\n${wrapped}\n-----END PRIVATE KEY-----\n`;
}

/** The JWT a GitHub App authenticates with: issued a minute in the past (clock skew), valid nine minutes. */
export async function appJwt(appId: string | number, privateKeyPem: string, now = Date.now()): Promise<string> {
  const key = await importPKCS8(toPkcs8Pem(privateKeyPem), "RS256");
  const seconds = Math.floor(now / 1000);
  return new SignJWT({}).setProtectedHeader({ alg: "RS256" }).setIssuer(String(appId)).setIssuedAt(seconds - 60).setExpirationTime(seconds + 540).sign(key);
}
