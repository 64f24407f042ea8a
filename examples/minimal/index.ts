import * as pulumi from "@pulumi/pulumi";
import { WrapUpCode } from "pulumi-genesys-wrapup";

const config = new pulumi.Config();

// Where and as whom come from the `genesys:*` stack config (or GENESYSCLOUD_* environment variables);
// see docs/configuration.md. Every rule below is checked by `pulumi preview`, before any request.
const escalation = new WrapUpCode("tech-escalation", {
  name: "Technical Escalation",
  code: "ESC_TECH",
  category: "support",
  queueId: config.require("queueId"),
  mandatory: true,
  tags: ["priority:high"],
  description: "Handed to second-line technical support",
});

export const codeId = escalation.codeId;
/** The tags reports see: derived from the category (cat:support, sub:…), then the code's own. */
export const reportingTags = escalation.reportingTags;
