import { dynamicType } from "../../shim";

/** The resource types this command audits, by the type token Pulumi records for them. */
export const AUDITED_TYPES: Readonly<Record<string, { readonly type: string; readonly idField: string }>> = {
  [dynamicType("WrapUpCode")]: { type: "WrapUpCode", idField: "codeId" },
  [dynamicType("SyncWebhook")]: { type: "SyncWebhook", idField: "webhookId" },
};

/** How a secret value is shown in every output. */
export const SECRET = "[secret]";

/** Pulumi's marker of an encrypted value in a checkpoint: `{"4dabf18193072939515e22adb298388d": <this>, ciphertext}`. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Properties that are not fields of the resource: the serialized provider, and the provider's record of its write. */
const NOT_FIELDS = new Set(["__provider", "audit"]);

/** One of our resources as one checkpoint recorded it, reduced to what the audit reads. */
export interface AuditedResource {
  /** The resource's URN: the key across checkpoints. */
  readonly urn: string;
  /** The resource's name in the program (the URN's last part). */
  readonly name: string;
  /** `WrapUpCode` or `SyncWebhook`. */
  readonly type: string;
  /** Pulumi's id of the resource; a new id under the same URN is a replacement. */
  readonly id: string | null;
  /** The platform's id: output `codeId` / `webhookId`, else the resource id. */
  readonly platformId: string | null;
  /** Every field: the output's value, or the input's when it is no output (e.g. the webhook's secret); secrets masked. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The names of the declared inputs (the program's arguments, as `check` normalised them). */
  readonly inputNames: readonly string[];
  /** The provider's `audit` output (its record of its last write), secrets masked; null without one. */
  readonly audit: Readonly<Record<string, unknown>> | null;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `value` is one of Pulumi's encrypted values. */
export function isSecret(value: unknown): boolean {
  return isRecord(value) && value[SECRET_SIG_KEY] === SECRET_SIG;
}

/** `value` with every encrypted value (at any depth) replaced by `"[secret]"`: nothing else of it is kept. */
export function maskSecrets(value: unknown): unknown {
  if (isSecret(value)) return SECRET;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
  return value;
}

/** The resources of one deployment, as `pulumi stack export` prints it or as a DIY checkpoint holds it. */
export function deploymentResources(doc: unknown): unknown[] {
  if (!isRecord(doc)) return [];
  const deployment = isRecord(doc.deployment) ? doc.deployment : isRecord(doc.checkpoint) ? doc.checkpoint.latest : {};
  return isRecord(deployment) && Array.isArray(deployment.resources) ? deployment.resources : [];
}

/**
 * Our resources in one deployment, by URN. Pending deletions (the old half of a replacement Pulumi has not deleted
 * yet, marked `delete: true`) are not the resource.
 */
export function auditedResources(doc: unknown): Map<string, AuditedResource> {
  const out = new Map<string, AuditedResource>();
  for (const r of deploymentResources(doc)) {
    if (!isRecord(r) || typeof r.type !== "string" || typeof r.urn !== "string" || r.delete === true) continue;
    const kind = AUDITED_TYPES[r.type];
    if (!kind) continue;
    const inputs = isRecord(r.inputs) ? r.inputs : {};
    const outputs = isRecord(r.outputs) ? r.outputs : {};
    const fields: Json = {};
    for (const key of [...new Set([...Object.keys(inputs), ...Object.keys(outputs)])].sort()) {
      if (NOT_FIELDS.has(key)) continue;
      fields[key] = maskSecrets(key in outputs ? outputs[key] : inputs[key]);
    }
    const id = typeof r.id === "string" && r.id !== "" ? r.id : null;
    const platformId = outputs[kind.idField];
    out.set(r.urn, {
      urn: r.urn,
      name: r.urn.slice(r.urn.lastIndexOf("::") + 2),
      type: kind.type,
      id,
      platformId: typeof platformId === "string" && platformId !== "" ? platformId : id,
      fields,
      inputNames: Object.keys(inputs).filter((k) => !NOT_FIELDS.has(k)),
      audit: isRecord(outputs.audit) ? (maskSecrets(outputs.audit) as Json) : null,
    });
  }
  return out;
}
