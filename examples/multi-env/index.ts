import * as pulumi from "@pulumi/pulumi";
import { WrapUpCode, WrapUpCodeArgs } from "pulumi-genesys-wrapup";

// One program, one stack per organisation: Pulumi.dev.yaml and Pulumi.prod.yaml hold what differs between them
// (region, credentials, queue ids, whether pilot codes are on); the codes themselves are the same everywhere.
const config = new pulumi.Config();
const queues = config.requireObject<{ support: string; sales: string }>("queues");
const environment = pulumi.getStack();

const codes: Record<string, WrapUpCodeArgs> = {
  "tech-escalation": { name: "Technical Escalation", code: "ESC_TECH", category: "support", queueId: queues.support },
  "sale-closed": { name: "Sale Closed", code: "SALE_WON", category: "sales", queueId: queues.sales, mandatory: true },
};
if (config.getBoolean("pilotCodes")) {
  codes["survey-offered"] = {
    name: "Survey Offered",
    code: "PILOT_SURVEY",
    category: "support",
    queueId: queues.support,
  };
}

const declared = Object.entries(codes).map(
  ([key, args]) =>
    // Reports can tell the environments apart by a tag of their own, after the category-derived tags.
    new WrapUpCode(key, { ...args, tags: [`env:${environment}`] }),
);

export const codeIds = Object.fromEntries(declared.map((code, i) => [Object.keys(codes)[i], code.codeId]));
