/**
 * Reads the organisation through the provider's own API profile (the same client: paging, the shared rate limiter
 * that learns the budget from 429s, retries of 429/5xx and lost connections): every code, every queue, the codes of
 * each queue read, and the divisions.
 */
import type { GenesysClientOptions, GenesysTransport } from "../../client";
import { GenesysApiError } from "../../client/errors";
import type { ProviderSettings } from "../../config";
import { platformProfile, tutorialProfile, type ApiProfile, type Call, type StoredCode } from "../../profiles";
import { CommandError } from "../command";
import { compareText } from "./keys";
import type { Named, Organisation } from "./model";

/** An API profile with its typed API (the platform's lists divisions). */
export type ReadingProfile = ApiProfile & { readonly api: GenesysTransport };

/** The profile the stack's provider would use. */
export function profileFor(settings: ProviderSettings): ReadingProfile {
  if (!settings.clientId || !settings.clientSecret) {
    throw new CommandError(
      "the export reads the organisation, which needs the OAuth client: set genesys:clientId and genesys:clientSecret " +
        "(`pulumi config set genesys:clientId <id>`, `pulumi config set --secret genesys:clientSecret`), or " +
        "GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET",
    );
  }
  if (!settings.region && !settings.apiUrl) {
    throw new CommandError(
      "the stack has no region: set genesys:region (`pulumi config set genesys:region eu-central-1`) or GENESYSCLOUD_REGION",
    );
  }
  const client: GenesysClientOptions = {
    region: settings.region,
    apiUrl: settings.apiUrl,
    authUrl: settings.authUrl,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    requestsPerSecond: settings.requestsPerSecond,
  };
  return settings.apiProfile === "tutorial"
    ? tutorialProfile(client, settings.dispositionMatrix)
    : platformProfile(client, { batchWindowMs: settings.membershipBatchMs });
}

/** Reads the organisation; `queueNames` narrows the queues whose codes are read (all when empty). */
export async function readOrganisation(profile: ReadingProfile, queueNames: readonly string[]): Promise<Organisation> {
  let requests = 0;
  const count = <T>(call: Call<T>): T => {
    requests += call.attempts;
    return call.body;
  };
  const [codes, queues, divisions] = await Promise.all([
    profile.codes.list().then(count).catch(explain),
    profile.membership.queues().then(count).catch(explain),
    readDivisions(profile).then((d) => {
      requests += d.attempts;
      return d;
    }),
  ]);
  const readQueues = selectQueues(queues, queueNames);
  const membership = new Map<string, string[]>();
  await Promise.all(
    readQueues.map(async (queue) => {
      const ids = count(await profile.membership.codesOn(queue.id).catch(explain));
      for (const id of new Set(ids.map((i) => i.toLowerCase()))) {
        membership.set(id, [...(membership.get(id) ?? []), queue.id]);
      }
    }),
  );
  for (const list of membership.values()) list.sort(compareText);
  // A listing paged while codes were added can show one twice: once each.
  const unique = new Map<string, StoredCode>();
  for (const code of codes) unique.set(code.id.toLowerCase(), code);
  return {
    profile: profile.traits.profile,
    codes: [...unique.values()],
    queues: queues.map(({ id, name }) => ({ id, name })),
    readQueues,
    membership,
    ...(divisions.list ? { divisions: divisions.list } : {}),
    ...(divisions.unreadable ? { divisionsUnreadable: divisions.unreadable } : {}),
    requests,
  };
}

/** The queues named by `--queues` (case-insensitively), or all; an unknown name stops the export. */
function selectQueues(queues: readonly Named[], names: readonly string[]): Named[] {
  if (names.length === 0) return [...queues];
  const byName = new Map(queues.map((q) => [q.name.toLowerCase(), q]));
  const unknown = names.filter((n) => !byName.has(n.toLowerCase()));
  if (unknown.length > 0) {
    const known = queues.map((q) => q.name).sort(compareText);
    const some = known.length > 20 ? `${known.slice(0, 20).join(", ")}, … (${known.length} in all)` : known.join(", ");
    throw new CommandError(
      `--queues: no queue named ${unknown.map((n) => `"${n}"`).join(", ")} in the organisation (names are matched ` +
        `whole, case-insensitively); its queues: ${some}. Nothing was written.`,
    );
  }
  return names.map((n) => byName.get(n.toLowerCase())!);
}

async function readDivisions(
  profile: ReadingProfile,
): Promise<{ list?: Named[]; unreadable?: string; attempts: number }> {
  if (!profile.traits.divisions) return { attempts: 0 };
  try {
    const call = await profile.divisions.list();
    return { list: call.body.map(({ id, name }) => ({ id, name })), attempts: call.attempts };
  } catch (e) {
    if (e instanceof GenesysApiError && e.status === 403) {
      return {
        unreadable:
          `the OAuth client may not read divisions (${e.status} ${e.code}): codes are written without their division ` +
          "(the stack then leaves divisions as they are); grant authorization:division:view to write them",
        attempts: 1,
      };
    }
    return explain(e);
  }
}

/** A failure of the API, said with what to do (the client's message already names the status, code and contextId). */
function explain(e: unknown): never {
  if (e instanceof GenesysApiError) {
    const needs =
      e.status === 403
        ? " The export needs the permissions routing:wrapupCode:view, routing:queue:view and authorization:division:view."
        : "";
    throw new CommandError(`reading the organisation failed: ${e.message}.${needs} Nothing was written.`);
  }
  if (e instanceof Error && e.name === "GenesysConfigError")
    throw new CommandError(`${e.message} Nothing was written.`);
  throw e;
}
