// A BI-sync stack: one webhook that pushes every wrap-up code change to a BI platform, signed with a shared
// secret, and the codes it reports on. Configuration (see README.md):
//   pulumi config set genesys:region eu-west-1            (or genesys:apiUrl for the emulator)
//   pulumi config set genesys:clientId <id>; pulumi config set --secret genesys:clientSecret <secret>
//   pulumi config set callbackUrl https://bi.example.com/genesys/webhook
//   pulumi config set supportQueueId <uuid>; pulumi config set salesQueueId <uuid>
//   pulumi config set --secret webhookSecret <secret>      (the receiver verifies signatures with it)
//   pulumi config set --path 'syncQueueIds[0]' <uuid>      (optional: send only these queues' events)
import * as pulumi from "@pulumi/pulumi";
import { SyncWebhook, WrapUpCode } from "pulumi-genesys-wrapup";

const config = new pulumi.Config();
const supportQueueId = config.require("supportQueueId");
const salesQueueId = config.require("salesQueueId");
const syncQueueIds = config.getObject<string[]>("syncQueueIds");

const webhook = new SyncWebhook("bi-sync", {
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
});

// The codes depend on the webhook, so that it exists before they are created and the BI platform hears of them.
const dependsOn = [webhook];

const resolved = new WrapUpCode(
  "issue-resolved",
  {
    name: "Issue Resolved",
    code: "RESOLVED",
    category: "support",
    queueId: supportQueueId,
    description: "Customer confirmed the fix",
  },
  { dependsOn },
);

const escalated = new WrapUpCode(
  "escalated",
  {
    name: "Escalated to Tier 2",
    code: "ESC_T2",
    category: "support",
    queueId: supportQueueId,
    tags: ["priority:high"],
  },
  { dependsOn },
);

const saleClosed = new WrapUpCode(
  "sale-closed",
  {
    name: "Sale Closed",
    code: "SALE",
    category: "sales",
    queueId: salesQueueId,
    mandatory: false,
  },
  { dependsOn },
);

export const webhookId = webhook.webhookId;
export const webhookStatus = webhook.status;
export const codeIds = {
  resolved: resolved.codeId,
  escalated: escalated.codeId,
  saleClosed: saleClosed.codeId,
};
