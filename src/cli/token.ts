import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { decodeJwt } from 'jose';
import { resolveAuth, signToken, DEFAULT_MAX_TOKEN_LIFETIME_S } from '../auth/tokens';
import { ROLES, type TokenRole } from '../auth/viewer';
import { merchantIdForUscc, UUID_PATTERN } from '../domain/ids';
import { isRegionCode } from '../domain/region';
import { validateUscc } from '../domain/uscc';

const USAGE = `usage: npm run token -- --role SUPERVISOR --region 421303 [--region …]
       npm run token -- --role MERCHANT --merchant <uscc or id> [--merchant …]
       npm run token -- --role ADMIN
options: --sub NAME (default: role and scope),
         --expires 12h (jose duration; default 12h or AUTH_MAX_TOKEN_LIFETIME_S if shorter, never longer)`;

/**
 * Prints a token the running configuration accepts: signed with AUTH_SECRET, or with the secret
 * kept in DATA_DIR on the embedded database. For development and tests.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      region: { type: 'string', multiple: true, default: [] },
      merchant: { type: 'string', multiple: true, default: [] },
      sub: { type: 'string' },
      expires: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const role = values.role?.toUpperCase();
  if (!role || !(ROLES as readonly string[]).includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
  for (const code of values.region) if (!isRegionCode(code)) throw new Error(`--region ${code} is not a six-digit region code`);
  const merchantIds = values.merchant.map((value) => {
    if (UUID_PATTERN.test(value)) return value.toLowerCase();
    const checked = validateUscc(value);
    if (!checked.valid) throw new Error(`--merchant ${value} is neither a merchant id nor a valid USCC: ${checked.reason}`);
    return merchantIdForUscc(checked.uscc);
  });
  if (role === 'SUPERVISOR' && values.region.length === 0) throw new Error('a SUPERVISOR token needs at least one --region');
  if (role === 'MERCHANT' && merchantIds.length === 0) throw new Error('a MERCHANT token needs at least one --merchant');

  const auth = resolveAuth(loadConfig());
  if (auth.kind !== 'secret') throw new Error('AUTH_JWKS_URL is set: tokens come from the identity provider, not from here');
  const maxLifetimeS = auth.maxLifetimeS ?? DEFAULT_MAX_TOKEN_LIFETIME_S;
  const sub = values.sub ?? `${role.toLowerCase()}:${[...values.region, ...values.merchant].join(',') || 'all'}`;
  const token = await signToken(
    auth.secret,
    { sub, role: role as TokenRole, regions: values.region, merchantIds },
    values.expires ?? `${Math.min(12 * 3600, maxLifetimeS)}s`,
  );
  // The server refuses a token that lives longer than its maximum: better to say so here.
  const { exp, iat } = decodeJwt(token);
  if (exp! - iat! > maxLifetimeS) throw new Error(`--expires ${values.expires} is longer than AUTH_MAX_TOKEN_LIFETIME_S (${maxLifetimeS} s)`);
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
