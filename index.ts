/**
 * The root stack: the contact centre's wrap-up codes and BI-sync webhook, declared from the reviewed catalogue
 * (catalogue/wrapup-codes.yaml). Per-stack values live in Pulumi.<stack>.yaml:
 *
 *   wrapup-codes:queues        queue key -> queue id (required for every queue the catalogue uses)
 *   wrapup-codes:divisions     division key -> division id (for codes that name a division; platform profile)
 *   wrapup-codes:callbackUrl   where the BI-sync webhook POSTs events; no webhook without it; env WRAPUP_CALLBACK_URL wins
 *   wrapup-codes:webhookSecret (secret) key of the webhook's HMAC signature; unsigned events without it
 *   wrapup-codes:catalogue     another catalogue file (relative to this directory); env WRAPUP_CATALOGUE wins
 *   genesys:*                  where and as whom: region, clientId, clientSecret… (docs/configuration.md)
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  ConfigError,
  SyncWebhook,
  WrapUpCode,
  codeTraits,
  stackApiProfile,
  stackDispositionMatrix,
} from "pulumi-genesys-wrapup";
import {
  CatalogueError,
  checkCodeValues,
  codeArgs,
  loadCatalogue,
  resolveDivisionIds,
  resolveQueueIds,
} from "./stack/catalogue";

const config = new pulumi.Config();
const DEFAULT_CATALOGUE = "catalogue/wrapup-codes.yaml";

function loadStackInputs() {
  const file = process.env.WRAPUP_CATALOGUE || config.get("catalogue") || DEFAULT_CATALOGUE;
  try {
    const apiProfile = stackApiProfile();
    const nameScope = codeTraits(apiProfile).nameUnique;
    const catalogue = loadCatalogue(path.resolve(__dirname, file), file, { nameScope });
    const project = pulumi.getProject();
    const queueIds = resolveQueueIds(catalogue, config.getObject<unknown>("queues"), `${project}:queues`);
    const divisionIds = resolveDivisionIds(catalogue, config.getObject<unknown>("divisions"), `${project}:divisions`);
    // Every broken value of every entry at once (the engine alone would stop at the first failing resource).
    checkCodeValues(catalogue, queueIds, file, stackDispositionMatrix(), { divisionIds, apiProfile });
    return { catalogue, queueIds, divisionIds, delivery: codeTraits(apiProfile).webhookDelivery };
  } catch (err) {
    // A RunError is printed without a stack trace: the message already names the file, entry and field.
    if (err instanceof CatalogueError || err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

const { catalogue, queueIds, divisionIds, delivery } = loadStackInputs();

// A preview makes no request, so it shows every code new to the state as a create; say which of them are adoptions.
const adopting = catalogue.codes.filter((c) => c.onConflict === "adopt").length;
if (adopting > 0) {
  pulumi.log.info(
    `${adopting} catalogue entr${adopting === 1 ? "y carries" : "ies carry"} onConflict: adopt: where the ` +
      "organisation already has a code of that name, its create takes that code over (no write when it already " +
      "holds the declared values) instead of making one",
  );
}

// The BI-sync webhook, where a callback URL is configured. Where the platform delivers the events (the tutorial's
// API), the webhook comes first and the codes depend on it, so that their creation is delivered too. Where the stack
// delivers them (the public platform has no webhook API), the webhook takes the codes and comes after them: it
// reports what the platform took, once it took it.
const callbackUrl = process.env.WRAPUP_CALLBACK_URL || config.get("callbackUrl");
const webhookArgs =
  callbackUrl && catalogue.webhook
    ? {
        name: catalogue.webhook.name,
        description: catalogue.webhook.description,
        callbackUrl,
        eventTypes: catalogue.webhook.eventTypes as ("created" | "updated" | "deleted")[] | undefined,
        filters: catalogue.webhook.queues && {
          matchType: "exact" as const,
          conditions: catalogue.webhook.queues.map((queue) => ({ field: "queueId" as const, value: queueIds[queue] })),
        },
        secret: config.getSecret("webhookSecret"),
        enabled: catalogue.webhook.enabled,
      }
    : undefined;
if (callbackUrl && !catalogue.webhook) {
  pulumi.log.warn(`${pulumi.getProject()}:callbackUrl is set but the catalogue has no webhook: section; no webhook`);
}

/**
 * The resources, declared after an `await`: the Node.js SDK records every resource's constructor call stack in the
 * state (`stackTrace`, ~440 bytes of module loading and Pulumi's runner per code at the top of a program); after an
 * `await` there is none. Nothing else changes (outputs, audit, checkpoints, history), and `up` of 1000 codes costs 14 %
 * less CPU with a state 22 % smaller (docs/benchmarks.md, "The engine's floor").
 */
export = (async () => {
  await null;

  const platformWebhook =
    webhookArgs && delivery === "platform" ? new SyncWebhook(webhookArgs.name, webhookArgs) : undefined;

  const codes = catalogue.codes.map(
    (code) =>
      new WrapUpCode(code.resourceName, codeArgs(code, queueIds, divisionIds), {
        dependsOn: platformWebhook ? [platformWebhook] : [],
      }),
  );

  const webhook =
    platformWebhook ??
    (webhookArgs && delivery === "stack" ? new SyncWebhook(webhookArgs.name, { ...webhookArgs, codes }) : undefined);

  /** What the stack manages, keyed by resource name: what a reviewer or a BI join needs to find each code. */
  const wrapUpCodes = Object.fromEntries(
    catalogue.codes.map(({ resourceName, queues }, i) => [
      resourceName,
      {
        codeId: codes[i].codeId,
        name: codes[i].name,
        code: codes[i].code,
        category: codes[i].category,
        queues,
      },
    ]),
  );

  /**
   * The webhook's id and status, and (where the stack delivers) what the last run delivered and what is pending; null
   * when no callback URL is configured (no webhook).
   */
  const biSyncWebhook = webhook
    ? { webhookId: webhook.webhookId, status: webhook.status, lastDelivery: webhook.lastDelivery }
    : null;

  return { wrapUpCodes, biSyncWebhook };
})();
