// A BI-sync stack: one webhook that pushes every wrap-up code change to a BI platform, signed with a shared
// secret, and the codes it reports on. Configuration (see README.md):
//   pulumi config set genesys:region eu-west-1            (or genesys:apiUrl for the emulator)
//   pulumi config set genesys:clientId <id>; pulumi config set --secret genesys:clientSecret <secret>
//   pulumi config set callbackUrl https://bi.example.com/genesys/webhook
//   pulumi config set supportQueueId <uuid>; pulumi config set salesQueueId <uuid>
//   pulumi config set --secret webhookSecret <secret>      (the receiver verifies signatures with it)
//   pulumi config set --path 'syncQueueIds[0]' <uuid>      (optional: send only these queues' events)
import * as pulumi from "@pulumi/pulumi";
import {
  SyncWebhook,
  SyncWebhookArgs,
  WrapUpCode,
  WrapUpCodeArgs,
  codeTraits,
  stackApiProfile,
} from "pulumi-genesys-wrapup";

const config = new pulumi.Config();
const supportQueueId = config.require("supportQueueId");
const salesQueueId = config.require("salesQueueId");
const syncQueueIds = config.getObject<string[]>("syncQueueIds");

const webhookArgs: SyncWebhookArgs = {
  name: config.get("webhookName") ?? `bi-sync-${pulumi.getStack()}`,
  description: "Pushes wrap-up code changes to the BI platform",
  callbackUrl: config.require("callbackUrl"),
  // requireSecret keeps the value a secret Output; SyncWebhook treats `secret` as a secret in any case.
  secret: config.requireSecret("webhookSecret"),
  eventTypes: ["created", "updated", "deleted"],
  filters: syncQueueIds && {
    matchType: "exact",
    conditions: syncQueueIds.map((queueId) => ({ field: "queueId" as const, value: queueId })),
  },
};

const codeArgs: Record<string, WrapUpCodeArgs> = {
  "issue-resolved": {
    name: "Issue Resolved",
    code: "RESOLVED",
    category: "support",
    queueId: supportQueueId,
    description: "Customer confirmed the fix",
  },
  escalated: {
    name: "Escalated to Tier 2",
    code: "ESC_T2",
    category: "support",
    queueId: supportQueueId,
    tags: ["priority:high"],
  },
  "sale-closed": { name: "Sale Closed", code: "SALE", category: "sales", queueId: salesQueueId, mandatory: false },
};

// Who tells the BI platform: on the public platform (the default profile), which has no webhook API, the stack
// does: the webhook takes the codes and reports what the platform took, after it took it. On the tutorial's API the
// platform does: the webhook comes first and the codes depend on it, so that their creation is delivered too.
const stackDelivers = codeTraits(stackApiProfile()).webhookDelivery === "stack";
const platformWebhook = stackDelivers ? undefined : new SyncWebhook("bi-sync", webhookArgs);
const codes = Object.entries(codeArgs).map(
  ([key, args]) => new WrapUpCode(key, args, { dependsOn: platformWebhook ? [platformWebhook] : [] }),
);
const webhook = platformWebhook ?? new SyncWebhook("bi-sync", { ...webhookArgs, codes });
const [resolved, escalated, saleClosed] = codes;

export const webhookId = webhook.webhookId;
export const webhookStatus = webhook.status;
export const codeIds = {
  resolved: resolved.codeId,
  escalated: escalated.codeId,
  saleClosed: saleClosed.codeId,
};
