import * as pulumi from "@pulumi/pulumi";
import { WrapUpCode } from "pulumi-genesys-wrapup";

// These codes were made by hand in the admin UI before this stack existed; agents use them and reports join on
// their codes, so they must be taken over as they are, not deleted and recreated. With `onConflict: "adopt"`, the
// provider looks the name up first (compared case-insensitively) and takes the existing code over instead of
// creating one: same id, written only where it differs from what is declared here, put on the declared queue, and
// managed by this stack from then on.
const queueId = new pulumi.Config().require("queueId");

const existing = {
  "callback-requested": { name: "Callback Requested", code: "CB_REQ", category: "support" },
  "resolved-first-contact": { name: "Resolved First Contact", code: "RES_FCR", category: "support" },
};

const adopted = Object.entries(existing).map(
  ([key, args]) =>
    new WrapUpCode(
      key,
      { ...args, queueId, description: "Managed by Pulumi (adopted)", onConflict: "adopt" },
      // The codes predate the stack: `pulumi destroy` (or removing one from this file) forgets them and leaves
      // them in the organisation instead of deleting them.
      { retainOnDelete: true },
    ),
);

export const codeIds = Object.fromEntries(adopted.map((code, i) => [Object.keys(existing)[i], code.codeId]));
