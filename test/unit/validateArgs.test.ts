import * as pulumi from "@pulumi/pulumi";
import { ConfigError, DEFAULT_DISPOSITION_MATRIX, type WrapUpCode } from "../../provider/src";
import { stackDispositionMatrix, validateSyncWebhook, validateWrapUpCode } from "../../provider/src/validateArgs";

// What a program can check before it declares resources: the preview's own rules, without a request.

const QUEUE = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01";
const valid = { name: "Resolved", code: "RES", category: "support", queueId: QUEUE };

describe("validateWrapUpCode", () => {
  it("finds nothing wrong with valid arguments", () => {
    expect(validateWrapUpCode(valid, { dispositionMatrix: DEFAULT_DISPOSITION_MATRIX })).toEqual([]);
  });

  it("reports every broken field once, naming the field and each rule, in the preview's words", () => {
    const failures = validateWrapUpCode(
      {
        name: "Esc/Tech",
        code: "",
        category: "billing",
        queueId: "queue-1",
        validFrom: "2027-01-01T00:00:00Z",
        validThrough: "2026-01-01T00:00:00Z",
      },
      { dispositionMatrix: DEFAULT_DISPOSITION_MATRIX },
    );
    expect(failures).toEqual([
      { property: "name", reason: "name: may contain only letters, digits, spaces, '_' and '-'" },
      { property: "code", reason: "code: must not be empty" },
      { property: "queueId", reason: "queueId: must be a UUID (8-4-4-4-12 hex)" },
      {
        property: "category",
        reason: 'category: "billing" is not a disposition category; known: sales, support, compliance',
      },
      { property: "validThrough", reason: "validThrough: must be later than validFrom" },
    ]);
  });

  it("names a missing required argument", () => {
    const { name: _name, ...rest } = valid;
    expect(validateWrapUpCode(rest as never, { dispositionMatrix: DEFAULT_DISPOSITION_MATRIX })).toEqual([
      { property: "name", reason: "name: is required" },
    ]);
  });

  it("lets values not known yet pass (an Output, a promise, an Output inside a list), as a preview does", () => {
    const failures = validateWrapUpCode(
      {
        name: pulumi.output("Esc/Tech"),
        code: Promise.resolve("RES"),
        category: "support",
        queueId: pulumi.secret(QUEUE),
        tags: ["priority", pulumi.output("Not A Tag")],
      },
      { dispositionMatrix: DEFAULT_DISPOSITION_MATRIX },
    );
    expect(failures).toEqual([]);
    // …while a known value beside them is still checked.
    expect(
      validateWrapUpCode(
        { ...valid, name: pulumi.output("x"), tags: ["Not A Tag"] },
        { dispositionMatrix: DEFAULT_DISPOSITION_MATRIX },
      ).map((f) => f.property),
    ).toEqual(["tags"]);
  });

  it("checks the category against the given matrix", () => {
    const matrix = { billing: ["refund"] };
    expect(validateWrapUpCode({ ...valid, category: "billing" }, { dispositionMatrix: matrix })).toEqual([]);
    expect(validateWrapUpCode(valid, { dispositionMatrix: matrix })).toEqual([
      { property: "category", reason: 'category: "support" is not a disposition category; known: billing' },
    ]);
  });
});

describe("stackDispositionMatrix", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}));

  it("is the stack's genesys:dispositionMatrix, else GENESYSCLOUD_DISPOSITION_MATRIX, else the default", () => {
    expect(stackDispositionMatrix({})).toEqual(DEFAULT_DISPOSITION_MATRIX);
    expect(stackDispositionMatrix({ GENESYSCLOUD_DISPOSITION_MATRIX: '{"billing":["refund"]}' })).toEqual({
      billing: ["refund"],
    });
    pulumi.runtime.setConfig("genesys:dispositionMatrix", '{"retention":["saved"]}');
    expect(stackDispositionMatrix({ GENESYSCLOUD_DISPOSITION_MATRIX: '{"billing":["refund"]}' })).toEqual({
      retention: ["saved"],
    });
    expect(validateWrapUpCode({ ...valid, category: "retention" })).toEqual([]);
  });

  it("names the key of a malformed matrix", () => {
    pulumi.runtime.setConfig("genesys:dispositionMatrix", "{nope");
    expect(() => stackDispositionMatrix({})).toThrow(
      new ConfigError("genesys:dispositionMatrix: must be a JSON object of category -> [subcategories]"),
    );
  });
});

describe("validateSyncWebhook", () => {
  const args = { name: "BI sync", callbackUrl: "https://bi.example.com/hook", secret: pulumi.secret("s") };

  it("reports broken fields without echoing the secret, and lets a secret Output pass", () => {
    expect(validateSyncWebhook(args, { apiProfile: "tutorial" })).toEqual([]);
    const failures = validateSyncWebhook(
      { name: "BI sync", callbackUrl: "http://bi.example.com/hook", secret: "x".repeat(300) },
      { apiProfile: "tutorial" },
    );
    expect(failures.map((f) => f.property).sort()).toEqual(["callbackUrl", "secret"]);
    expect(JSON.stringify(failures)).not.toContain("x".repeat(20));
  });

  it("asks for the codes to report on the platform profile (the stack delivers), and refuses them on the tutorial's", () => {
    expect(validateSyncWebhook(args, { apiProfile: "platform" }).map((f) => f.reason)).toEqual([
      "codes: is required on the platform profile: the platform has no webhook API, so the stack delivers the " +
        "events of the codes listed here (codes: [code1, code2, …])",
    ]);
    const codes = [{} as WrapUpCode];
    expect(validateSyncWebhook({ ...args, codes }, { apiProfile: "platform" })).toEqual([]);
    expect(validateSyncWebhook({ ...args, codes }, { apiProfile: "tutorial" })[0].reason).toContain(
      "codes: on the tutorial profile the platform delivers every code's events by itself",
    );
  });
});
