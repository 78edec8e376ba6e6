/**
 * `empreinte admin …`: account administration for scripts, on the server's database (EMPREINTE_DATA_DIR or
 * DATABASE_URL, as `empreinte serve`). Secrets (a generated password, a token) are printed once on stdout; nothing
 * else is printed there. The server modules are loaded only when an admin command runs, so the other commands start
 * as fast as before.
 */
import type { Command } from 'commander';

async function withRuntime<T>(
  env: NodeJS.ProcessEnv,
  fn: (
    deps: import('../server/usecases/deps.js').UseCaseDeps,
    config: import('../server/config.js').ServerConfig,
  ) => Promise<T>,
) {
  const { loadConfig } = await import('../server/config.js');
  const { openRuntime } = await import('../server/compose.js');
  const config = loadConfig(env);
  const rt = await openRuntime(config);
  try {
    return await fn(rt.deps, config);
  } finally {
    await rt.close();
  }
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line.length < 12) throw new AdminUsageError('the password read from stdin must have at least 12 characters');
  return line;
}

/** Known failures (bad configuration, unknown organisation, invalid role…) print one line and exit 2, no stack. */
export function guarded<A extends unknown[]>(fn: (...a: A) => Promise<void>): (...a: A) => Promise<void> {
  return async (...a: A) => {
    try {
      await fn(...a);
    } catch (e) {
      const known = ['AppError', 'ConfigError', 'ZodError', 'AdminUsageError'].includes((e as Error)?.name);
      if (!known) throw e;
      const code = (e as { code?: string }).code;
      const msg = (e as Error).name === 'ZodError' ? 'invalid value: ' + (e as Error).message : (e as Error).message;
      process.stderr.write(`empreinte: ${code ? code + ' ' : ''}${msg.replace(/\s+/g, ' ')}\n`);
      process.exitCode = 2;
    }
  };
}

class AdminUsageError extends Error {
  override name = 'AdminUsageError';
}

export function registerAdmin(program: Command, env: NodeJS.ProcessEnv): void {
  const admin = program.command('admin').description('administer the server: organisations, users, API tokens');
  const out = (s: string) => process.stdout.write(s + '\n');

  admin
    .command('create-organisation <name>')
    .description('create an organisation; prints its id')
    .action(
      guarded(async (name: string) => {
        const { adminCreateOrganisation } = await import('../server/usecases/admin.js');
        const o = await withRuntime(env, (deps) => adminCreateOrganisation(deps, name));
        out(o.id);
      }),
    );

  admin
    .command('create-user')
    .description('create a user (or update their role) in an organisation; prints a generated password once')
    .requiredOption('--email <email>', 'the account email')
    .option('--organisation <name-or-id>', 'the organisation to join')
    .option('--role <role>', 'admin, editor or viewer')
    .option('--platform-admin', 'may create organisations')
    .option('--password-stdin', 'read the password from the first line of stdin instead of generating one')
    .action(
      guarded(
        async (o: {
          email: string;
          organisation?: string;
          role?: string;
          platformAdmin?: boolean;
          passwordStdin?: boolean;
        }) => {
          const { RoleSchema } = await import('../server/usecases/schemas.js');
          const { adminCreateUser } = await import('../server/usecases/admin.js');
          const role = o.role === undefined ? undefined : RoleSchema.parse(o.role);
          const password = o.passwordStdin ? await readStdinLine() : undefined;
          const r = await withRuntime(env, (deps) =>
            adminCreateUser(deps, {
              email: o.email,
              organisation: o.organisation,
              role,
              platformAdmin: o.platformAdmin,
              password,
            }),
          );
          out(r.password === null ? `user ${r.userId}` : `user ${r.userId} password ${r.password}`);
        },
      ),
    );

  admin
    .command('create-token')
    .description('create an API token for a user; prints it once (only its hash is kept)')
    .requiredOption('--email <email>', 'the account email')
    .option('--name <name>', 'a label for the token', 'cli')
    .option('--expires-days <days>', 'days of validity, or 0 for none', '90')
    .action(
      guarded(async (o: { email: string; name: string; expiresDays: string }) => {
        const { adminCreateToken } = await import('../server/usecases/admin.js');
        const days = Number(o.expiresDays);
        if (!Number.isInteger(days) || days < 0 || days > 3650)
          throw new AdminUsageError('--expires-days must be an integer 0–3650');
        const token = await withRuntime(env, (deps) =>
          adminCreateToken(deps, { email: o.email, name: o.name, expiresInDays: days === 0 ? null : days }),
        );
        out(token);
      }),
    );

  admin
    .command('reset-link')
    .description("make a one-use link to set a user's password (no mail needed); prints it once")
    .requiredOption('--email <email>', 'the account email')
    .option('--hours <hours>', 'hours of validity (1–168)', '24')
    .action(
      guarded(async (o: { email: string; hours: string }) => {
        const { createResetLink } = await import('../server/usecases/password-reset.js');
        const hours = Number(o.hours);
        if (!Number.isInteger(hours) || hours < 1 || hours > 168)
          throw new AdminUsageError('--hours must be an integer 1–168');
        const r = await withRuntime(env, (deps, config) =>
          createResetLink(deps, { email: o.email, hours, publicUrl: config.publicUrl }),
        );
        out(r.url);
        process.stderr.write(`valid until ${r.expiresAt}; it works once and ends the account's sessions\n`);
      }),
    );

  admin
    .command('purge')
    .description("clear the raw files of uploads older than their organisation's retention period; prints them")
    .action(
      guarded(async () => {
        const { purgeExpiredUploads } = await import('../server/usecases/retention.js');
        const r = await withRuntime(env, (deps) => purgeExpiredUploads(deps));
        for (const o of r)
          for (const u of o.uploads)
            out(
              `purged organisation ${o.organisationId} upload ${u.id} ${JSON.stringify(u.fileName)} ${u.size} bytes ${u.createdAt}`,
            );
        process.stderr.write(`${r.reduce((n, o) => n + o.uploads.length, 0)} upload(s) purged\n`);
      }),
    );
}
