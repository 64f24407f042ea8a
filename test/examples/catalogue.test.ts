import * as path from "node:path";
import { DEFAULT_DISPOSITION_MATRIX } from "pulumi-genesys-wrapup";
import { CatalogueError, checkCodeValues, loadCatalogue, parseCatalogue, resolveQueueIds } from "../../stack/catalogue";
import { REPO_ROOT } from "../support/pulumi";

// Reading catalogue/wrapup-codes.yaml: every shape problem is reported with the entry and field it concerns,
// all at once, before Pulumi declares anything; then every value is checked by the provider's own rules, also all at
// once (the engine alone would stop a preview at the first broken resource; see root-stack.test.ts).

function problemsOf(text: string): string[] {
  try {
    parseCatalogue(text, "c.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogueError);
    return [...(err as CatalogueError).problems];
  }
  throw new Error("expected the catalogue to be refused");
}

const lines = (...l: string[]) => l.join("\n") + "\n";

describe("the catalogue", () => {
  it("reads the committed catalogue: every code once with its queues, in file order, and the webhook", () => {
    const catalogue = loadCatalogue(path.join(REPO_ROOT, "catalogue/wrapup-codes.yaml"));
    expect(catalogue.codes.map((c) => [c.resourceName, c.queues])).toEqual([
      ["tech-escalation", ["support"]],
      ["resolved-first-contact", ["support", "billing"]],
      ["callback-requested", ["support", "sales", "retention"]],
      ["sale-closed", ["sales"]],
      ["lead-qualified", ["sales"]],
      ["not-interested", ["sales", "retention"]],
      ["payment-arranged", ["billing"]],
      ["wrong-number", ["support", "sales", "billing", "retention"]],
      ["retention-offer-accepted", ["retention"]],
    ]);
    expect(catalogue.codes[0]).toEqual({
      resourceName: "tech-escalation",
      path: "codes.tech-escalation",
      queues: ["support"],
      name: "Technical Escalation",
      code: "ESC_TECH",
      category: "support",
      mandatory: true,
      tags: ["priority:high"],
      description: "Handed to second-line technical support",
    });
    // Timestamps stay text (YAML 1.2 core schema), exactly as written.
    expect(catalogue.codes[8].validFrom).toBe("2026-01-01T00:00:00Z");
    expect(catalogue.webhook).toEqual({
      name: "bi-sync",
      description: "Wrap-up code changes for the BI platform",
      eventTypes: ["created", "updated", "deleted"],
      queues: ["support", "sales", "billing", "retention"],
    });
  });

  it("reads the older shape, grouped by queue: one code per entry, named <queue>/<key>", () => {
    const catalogue = parseCatalogue(
      lines("queues:", "  support:", "    a: { name: A, code: A, category: support }"),
      "c.yaml",
    );
    expect(catalogue.codes).toEqual([
      {
        resourceName: "support/a",
        path: "queues.support.a",
        queues: ["support"],
        name: "A",
        code: "A",
        category: "support",
      },
    ]);
  });

  it("reports the shape problems of codes: entries, their queues and division", () => {
    expect(
      problemsOf(
        lines(
          "codes:",
          "  a: { name: A, code: A, category: support, queues: support }",
          "  b: { name: B, code: B, category: support, queues: [sales, sales, Bad Key], division: Europe West }",
          "  c: { code: C, category: support, queue: [x] }",
        ),
      ),
    ).toEqual([
      'codes.a.queues: must be a list of text, e.g. [a, b], got "support"',
      'codes.b.queues[1]: "sales" is listed twice',
      'codes.b.queues[2]: "Bad Key" is not a valid queue key; keys are 1..63 characters of [a-z0-9_-], starting with a letter or digit',
      'codes.b.division: "Europe West" is not a valid division key; keys are 1..63 characters of [a-z0-9_-], starting with a letter or digit',
      "codes.c.queue: unknown field; known: name, code, category, mandatory, tags, validFrom, validThrough, " +
        "description, onConflict, queues, division",
      "codes.c.name: is required",
    ]);
  });

  it("reports every shape problem at once, each with the path of its entry and field", () => {
    const problems = problemsOf(
      lines(
        "queues:",
        "  support:",
        "    escalation:",
        "      name: Escalation",
        "      code: 404",
        "      category: support",
        "      mandatory: yes please",
        "      tags: priority:high",
        "      onConflict: overwrite",
        "      colour: red",
        "    callback:",
        "      code: CB",
        "  Sales Queue:",
        "    closed: just a string",
      ),
    );
    expect(problems).toEqual([
      'queues.support.escalation.code: must be text, got the number 404; quote it: "404"',
      'queues.support.escalation.mandatory: must be true or false, got "yes please"',
      'queues.support.escalation.tags: must be a list of text, e.g. [a, b], got "priority:high"',
      'queues.support.escalation.onConflict: must be "fail" or "adopt", got "overwrite"',
      "queues.support.escalation.colour: unknown field; known: name, code, category, mandatory, tags, validFrom, " +
        "validThrough, description, onConflict",
      "queues.support.callback.name: is required",
      "queues.support.callback.category: is required",
      'queues.Sales Queue: "Sales Queue" is not a valid queue key; keys are 1..63 characters of [a-z0-9_-], ' +
        "starting with a letter or digit",
      'queues.Sales Queue.closed: must be a mapping with name, code and category, got "just a string"',
    ]);
  });

  it("refuses two entries with one name, naming both: in the organisation (platform), or in a queue (tutorial)", () => {
    const text = lines(
      "codes:",
      "  shared: { name: Callback, code: CB0, category: support, queues: [retention] }",
      "queues:",
      "  support:",
      "    a: { name: Callback, code: CB1, category: support }",
      "    b: { name: CALLBACK, code: CB2, category: support }",
      "  sales:",
      "    c: { name: callback, code: CB3, category: sales }",
    );
    expect(problemsOf(text)).toEqual([
      'queues.support.a.name: "Callback" is also the name of codes.shared; names are unique in the organisation ' +
        "(case-insensitively)",
      'queues.support.b.name: "CALLBACK" is also the name of codes.shared; names are unique in the organisation ' +
        "(case-insensitively)",
      'queues.sales.c.name: "callback" is also the name of codes.shared; names are unique in the organisation ' +
        "(case-insensitively)",
    ]);
    let tutorial: string[] = [];
    try {
      parseCatalogue(text, "c.yaml", { nameScope: "queue" });
    } catch (err) {
      tutorial = [...(err as CatalogueError).problems];
    }
    expect(tutorial).toEqual([
      'queues.support.b.name: "CALLBACK" is also the name of queues.support.a; names are unique per queue ' +
        "(case-insensitively)",
    ]);
  });

  it("names the line of a YAML syntax error and of a repeated key", () => {
    expect(problemsOf(lines("queues:", "  support:", "    a: { name: x", "  sales: {}"))[0]).toMatch(
      /^is not valid YAML: .* \(line \d+, column \d+\)$/,
    );
    expect(problemsOf(lines("queues:", "  support: {}", "  support: {}"))).toEqual([
      "is not valid YAML: duplicated mapping key (line 3, column 3)",
    ]);
  });

  it("refuses an unknown top-level key, a catalogue without codes and a webhook naming an unknown queue", () => {
    expect(problemsOf(lines("code:", "  a: b"))).toEqual([
      "code: unknown top-level key; known: codes, queues, webhook",
      "codes: is required (a mapping of code key -> code with its queues), or the older queues:",
    ]);
    expect(
      problemsOf(lines("queues:", "  support: {}", "webhook:", "  eventTypes: created", "  queues: [support, sale]")),
    ).toEqual([
      'webhook.eventTypes: must be a list of text, e.g. [a, b], got "created"',
      "webhook.name: is required",
      'webhook.queues[1]: "sale" is not a queue of this catalogue; known: support',
    ]);
  });

  it("prefixes the message with the file, listing several problems one per line", () => {
    expect(() => parseCatalogue("queues: [a]\nextra: 1\n", "catalogue/x.yaml")).toThrow(
      "catalogue/x.yaml has 2 problems:\n" +
        "  - extra: unknown top-level key; known: codes, queues, webhook\n" +
        "  - queues: must be a mapping of queue key -> codes, got a list",
    );
    expect(() => loadCatalogue("/nonexistent/wrapup-codes.yaml", "missing.yaml")).toThrow(
      /^missing.yaml: cannot be read/,
    );
  });
});

describe("queue ids from the stack config", () => {
  const catalogue = parseCatalogue(
    lines("queues:", "  support:", "    a: { name: A, code: A, category: support }", "  sales: {}"),
    "c.yaml",
  );

  it("maps each queue key of the catalogue to its id, ignoring extra ones", () => {
    expect(
      resolveQueueIds(
        catalogue,
        { support: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01", other: "x" },
        "wrapup-codes:queues",
      ),
    ).toEqual({ support: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01" });
  });

  it("says how to set a missing id, and refuses an id that is not a UUID", () => {
    expect(() => resolveQueueIds(catalogue, undefined, "wrapup-codes:queues")).toThrow(
      "stack config: wrapup-codes:queues: is not set; it maps each queue key of the catalogue (support) to a queue " +
        "id: set it with: pulumi config set --path 'wrapup-codes:queues.support' <queue id>",
    );
    expect(() => resolveQueueIds(catalogue, { sales: "x" }, "wrapup-codes:queues")).toThrow(
      'wrapup-codes:queues.support: no queue id for queue "support" of the catalogue; set it with: ' +
        "pulumi config set --path 'wrapup-codes:queues.support' <queue id>",
    );
    expect(() => resolveQueueIds(catalogue, { support: "Support" }, "wrapup-codes:queues")).toThrow(
      'wrapup-codes:queues.support: "Support" is not a queue id (a UUID, 8-4-4-4-12 hex)',
    );
  });
});

describe("the catalogue's values, by the provider's rules", () => {
  const ids = { support: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01", sales: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e02" };
  const check = (text: string, matrix = DEFAULT_DISPOSITION_MATRIX) =>
    checkCodeValues(parseCatalogue(text, "c.yaml"), ids, "c.yaml", matrix);

  it("passes the committed catalogue", () => {
    const committed = loadCatalogue(path.join(REPO_ROOT, "catalogue/wrapup-codes.yaml"));
    const keys = [...new Set(committed.codes.flatMap((c) => c.queues))];
    const queueIds = Object.fromEntries(keys.map((q, i) => [q, `8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e0${i + 1}`]));
    expect(() => checkCodeValues(committed, queueIds, "c.yaml", DEFAULT_DISPOSITION_MATRIX)).not.toThrow();
  });

  it("reports every broken value of every entry at once, by entry and field", () => {
    const text = lines(
      "queues:",
      "  support:",
      "    a: { name: Esc/Tech, code: ESC, category: billing }",
      "    b: { name: Fine, code: B, category: support }",
      "    c: { name: Dated, code: C, category: support, validFrom: yesterday }",
      "  sales:",
      "    d: { name: Won, code: 'W/1', category: sales, tags: [Big Deal] }",
    );
    let error: unknown;
    try {
      check(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).problems).toEqual([
      "queues.support.a.name: may contain only letters, digits, spaces, '_' and '-'",
      'queues.support.a.category: "billing" is not a disposition category; known: sales, support, compliance',
      "queues.support.c.validFrom: must be an ISO 8601 date-time with an offset, e.g. 2026-01-01T00:00:00Z; " +
        "must be a real calendar date-time",
      "queues.sales.d.code: may contain only letters, digits, spaces, '_' and '-'",
      "queues.sales.d.tags: [0] each tag must be 1..100 characters of [a-z0-9:_.-]",
    ]);
    expect((error as Error).message).toMatch(/^c\.yaml has 5 problems:\n {2}- queues\.support\.a\.name: /);
  });

  it("checks categories against the stack's disposition matrix", () => {
    const text = lines("queues:", "  support:", "    a: { name: Refund, code: R, category: billing }");
    expect(() => check(text, { billing: ["refund"] })).not.toThrow();
    expect(() => check(text)).toThrow('c.yaml: queues.support.a.category: "billing" is not a disposition category');
  });
});
