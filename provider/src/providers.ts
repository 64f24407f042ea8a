import type * as pulumi from "@pulumi/pulumi";
import { configure } from "./runtime";
import type { ResourceKind } from "./shim";
import { wrapUpCodeProvider } from "./resources/wrapupCode/provider";
import { syncWebhookProvider } from "./resources/syncWebhook/provider";

/** The provider object behind each resource type, as the dynamic-provider host calls it. */
export const providers: Record<ResourceKind, pulumi.dynamic.ResourceProvider> = {
  wrapUpCode: { configure, ...wrapUpCodeProvider },
  syncWebhook: { configure, ...syncWebhookProvider },
};
