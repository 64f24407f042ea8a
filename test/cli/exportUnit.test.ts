import { Writable } from "node:stream";
import * as YAML from "yaml";
import { main } from "../../provider/src/cli/main";
import { acceptableName, codeFromName, uniqueCodes } from "../../provider/src/cli/export/fill";
import { assignKeys, slug } from "../../provider/src/cli/export/keys";
import type { Organisation, Previous } from "../../provider/src/cli/export/model";
import { planExport, type PlanInput } from "../../provider/src/cli/export/plan";
import { catalogueEntries, parseYamlFile, stateCodes } from "../../provider/src/cli/export/previous";
import { renderCatalogue, renderStackConfig } from "../../provider/src/cli/export/render";
import { DEFAULT_DISPOSITION_MATRIX } from "../../provider/src/matrix";
import type { StoredCode } from "../../provider/src/profiles/seam";
import { codeTraits } from "../../provider/src/profiles/traits";
import { parseCatalogue } from "../../stack/catalogue";

// The parts of `genesys-wrapup export` that need no organisation: keys from names, the rules that fill what the
// platform does not hold, the plan (what is kept, adopted, refused, dropped), and the two files it writes, read back
// by the root stack's own catalogue reader.

const HOME = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d00";
const EUROPE = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d01";
const queue = (n: number, name: string) => ({ id: `11111111-2222-4333-8444-${String(n).padStart(12, "0")}`, name });
const SUPPORT = queue(1, "Support");
const SALES = queue(2, "Sales");
const BILLING = queue(3, "Billing");
const codeId = (n: number) => `c0de0000-2222-4333-8444-${String(n).padStart(12, "0")}`;

function code(n: number, name: string, extra: Partial<StoredCode> = {}): StoredCode {
  return { id: codeId(n), name, divisionId: HOME, ...extra };
}

function org(codes: StoredCode[], on: Record<number, string[]> = {}, queues = [SUPPORT, SALES, BILLING]): Organisation {
  return {
    profile: "platform",
    codes,
    queues,
    readQueues: queues,
    membership: new Map(Object.entries(on).map(([n, ids]) => [codeId(Number(n)), ids])),
    divisions: [
      { id: HOME, name: "Home" },
      { id: EUROPE, name: "Europe" },
    ],
    requests: 5,
  };
}

const NOTHING: Previous = { catalogue: [], queueMap: {}, divisionMap: {}, state: [] };
const RULES = { codeFrom: "name" as const, categoryDefault: "support" };

function plan(o: Organisation, previous: Previous = NOTHING, extra: Partial<PlanInput> = {}) {
  return planExport({
    org: o,
    previous,
    traits: codeTraits("platform"),
    matrix: DEFAULT_DISPOSITION_MATRIX,
    rules: RULES,
    selection: false,
    ...extra,
  });
}

/** The catalogue an export writes from nothing, read back as the root stack reads it. */
function written(p: ReturnType<typeof plan>, doc?: YAML.Document): string {
  return renderCatalogue(doc, p.entries);
}

function previousFrom(catalogue: string, extra: Partial<Previous> = {}): { doc: YAML.Document; previous: Previous } {
  const doc = YAML.parseDocument(catalogue);
  return { doc, previous: { ...NOTHING, catalogue: catalogueEntries(doc), ...extra } };
}

describe("keys from names", () => {
  it("are the root stack's keys: accents dropped, lower case, other characters one dash, at most 63", () => {
    expect(slug("Suivi équipement")).toBe("suivi-equipement");
    expect(slug("  Callback -- Requested! ")).toBe("callback-requested");
    expect(slug("x".repeat(70))).toHaveLength(63);
    expect(slug("a".repeat(62) + " b")).toBe("a".repeat(62));
    expect(slug("___")).toBe("");
  });

  it("resolve collisions by name then id, whatever order the codes come in", () => {
    const items = [
      { id: "b", name: "Callback-Requested" },
      { id: "a", name: "Callback Requested" },
      { id: "c", name: "callback requested!" },
    ];
    const forward = assignKeys(items, "code");
    const backward = assignKeys([...items].reverse(), "code");
    expect([...forward.keys].sort()).toEqual([...backward.keys].sort());
    expect(forward.keys.get("a")).toBe("callback-requested");
    expect(forward.keys.get("b")).toBe("callback-requested-2");
    expect(forward.keys.get("c")).toBe("callback-requested-3");
    expect(forward.collisions).toEqual([
      {
        wanted: "callback-requested",
        got: [
          { id: "a", name: "Callback Requested", key: "callback-requested" },
          { id: "b", name: "Callback-Requested", key: "callback-requested-2" },
          { id: "c", name: "callback requested!", key: "callback-requested-3" },
        ],
      },
    ]);
  });

  it("keep a key a thing already has, and give a newcomer with the same name the next one", () => {
    const { keys, collisions } = assignKeys(
      [
        { id: "new", name: "Callback Requested" },
        { id: "old", name: "Callback-Requested", preferred: "callback-requested" },
      ],
      "code",
    );
    expect(keys.get("old")).toBe("callback-requested");
    expect(keys.get("new")).toBe("callback-requested-2");
    expect(collisions[0].got.map((g) => g.key)).toEqual(["callback-requested", "callback-requested-2"]);
  });
});

describe("what the rules fill", () => {
  it("--code-from name: upper case, runs of spaces and dashes one underscore, at most 128", () => {
    expect(codeFromName("Callback Requested")).toBe("CALLBACK_REQUESTED");
    expect(codeFromName("Escalation - 2nd line")).toBe("ESCALATION_2ND_LINE");
    expect(codeFromName("y".repeat(200))).toHaveLength(128);
    expect(codeFromName("-")).toBe("CODE");
  });

  it("rule-made codes are unique among every code, by key order, and say which had to change", () => {
    const made = new Map([
      ["b", "ORDER_LATE"],
      ["a", "ORDER_LATE"],
      ["c", "CB_REQ"],
    ]);
    const { codes, changed } = uniqueCodes(made, ["cb_req"]);
    expect(Object.fromEntries(codes)).toEqual({ a: "ORDER_LATE", b: "ORDER_LATE_2", c: "CB_REQ_2" });
    expect([...changed].sort()).toEqual(["b", "c"]);
  });

  it("a refused name gets a suggestion the rules accept", () => {
    expect(acceptableName("Suivi équipement")).toBe("Suivi equipement");
    expect(acceptableName("Test/1")).toBe("Test 1");
    expect(acceptableName("問い合わせ")).toBeUndefined();
  });
});

describe("the plan", () => {
  it("declares every code once with its queues, division and description, to adopt, its code and category filled and listed", () => {
    const p = plan(
      org(
        [
          code(1, "Callback Requested", { description: "made by hand" }),
          code(2, "Refund Issued", { divisionId: EUROPE }),
          code(3, "Spare"),
        ],
        { 1: [SUPPORT.id, SALES.id], 2: [BILLING.id] },
      ),
    );
    expect(p.entries.map((e) => ({ ...e, filled: [...e.filled].sort() }))).toEqual([
      {
        key: "callback-requested",
        name: "Callback Requested",
        queues: ["sales", "support"],
        division: "home",
        code: "CALLBACK_REQUESTED",
        category: "support",
        description: "made by hand",
        onConflict: "adopt",
        filled: ["category", "code"],
      },
      expect.objectContaining({ key: "refund-issued", queues: ["billing"], division: "europe", code: "REFUND_ISSUED" }),
      expect.objectContaining({ key: "spare", queues: [], onConflict: "adopt" }),
    ]);
    expect(p.filled).toHaveLength(6);
    expect(p.filled[0]).toEqual({
      key: "callback-requested",
      name: "Callback Requested",
      field: "category",
      value: "support",
      rule: "--category-default",
    });
    expect(p.counts).toMatchObject({ codes: 3, exported: 3, toAdopt: 3, adoptWrites: [], onNoQueue: ["spare"] });
    expect(p.queueMap).toEqual([
      ["billing", BILLING.id],
      ["sales", SALES.id],
      ["support", SUPPORT.id],
    ]);
    expect(p.divisionMap).toEqual([
      ["europe", EUROPE],
      ["home", HOME],
    ]);
  });

  it("without a rule for a value the platform does not hold, names the codes that need one", () => {
    const p = plan(org([code(1, "A"), code(2, "B")]), NOTHING, { rules: {} });
    expect(p.needs).toEqual({ code: ["a", "b"], category: ["a", "b"] });
    const onlyCategory = plan(org([code(1, "A")]), NOTHING, { rules: { codeFrom: "name" } });
    expect(onlyCategory.needs).toEqual({ code: [], category: ["a"] });
  });

  it("refuses names the product's rules refuse, with what to do, and leaves them out", () => {
    const p = plan(org([code(1, "Suivi équipement"), code(2, "Test/1"), code(3, "Test 1"), code(4, "Fine")]));
    expect(p.entries.map((e) => e.name)).toEqual(["Fine", "Test 1"]);
    expect(p.refused).toEqual([
      {
        id: codeId(1),
        name: "Suivi équipement",
        problems: ["name: may contain only letters, digits, spaces, '_' and '-'"],
        todo: expect.stringMatching(
          /^rename it in the admin UI \(e\.g\. to "Suivi equipement"\) and export again, or leave it unmanaged/,
        ),
      },
      // "Test 1" is taken: no suggestion that would collide.
      expect.objectContaining({ name: "Test/1", todo: expect.stringMatching(/^rename it in the admin UI and export/) }),
    ]);
  });

  it("keeps the stack's keys and values: by the state's resource name, then by name; adopts only what the state lacks", () => {
    const { previous } = previousFrom(
      `codes:
  cb:
    name: Callback Requested
    queues: [support]
    code: CB_REQ
    category: sales
    tags: [followup:callback]
  refunds:
    name: Old Refund Name
    queues: []
    code: REF
    category: support
  gone:
    name: Deleted Since
    code: GONE
    category: support
`,
      {
        state: [
          { resourceName: "refunds", id: codeId(2), inputs: { code: "REF", category: "support", onConflict: "fail" } },
        ],
      },
    );
    // The refund code was renamed in the admin UI; the state knows it by id.
    const p = plan(org([code(1, "callback requested"), code(2, "Refund Issued")], { 1: [SALES.id] }), previous);
    expect(p.entries).toEqual([
      expect.objectContaining({
        key: "cb",
        name: "callback requested",
        queues: ["sales"],
        code: "CB_REQ",
        category: "sales",
        tags: ["followup:callback"],
        onConflict: "adopt",
      }),
      expect.objectContaining({ key: "refunds", name: "Refund Issued", code: "REF", category: "support" }),
    ]);
    // In the state already: no onConflict (adding one would show as an update for nothing).
    expect(p.entries[1].onConflict).toBeUndefined();
    expect(p.filled).toEqual([]);
    expect(p.dropped).toEqual([{ key: "gone", name: "Deleted Since" }]);
    expect(p.counts).toMatchObject({ toAdopt: 1, managed: 1 });
  });

  it("with --queues, exports the codes on those queues only and keeps the catalogue's other entries as they were", () => {
    const { previous } = previousFrom(
      `codes:
  other:
    name: Other Team Code
    queues: [billing]
    code: OTHER
    category: support
  shared:
    name: Shared
    queues: [billing, support]
    code: SHARED
    category: support
`,
      { queueMap: { billing: BILLING.id, support: SUPPORT.id } },
    );
    const o = { ...org([code(1, "Other Team Code"), code(2, "Shared"), code(3, "New")], {}), readQueues: [SUPPORT] };
    (o.membership as Map<string, string[]>).set(codeId(2), [SUPPORT.id]);
    (o.membership as Map<string, string[]>).set(codeId(3), [SUPPORT.id]);
    const p = plan(o, previous, { selection: true });
    expect(p.entries.map((e) => [e.key, e.queues, e.verbatim !== undefined])).toEqual([
      ["new", ["support"], false],
      ["other", ["billing"], true],
      // Billing was not read: what the stack declared of it stays (dropping it would take the code off Billing).
      ["shared", ["billing", "support"], false],
    ]);
    expect(p.keptAsWas).toEqual([{ key: "other", name: "Other Team Code", why: "on none of the --queues" }]);
    expect(p.counts.outsideSelection).toBe(1);
  });

  it("keeps map entries of queues that exist, drops placeholders and queues the organisation lacks", () => {
    const p = plan(org([code(1, "A")], { 1: [SUPPORT.id] }), {
      ...NOTHING,
      queueMap: { help: SUPPORT.id, sales: "REPLACE-ME-sales-queue-id", old: "99999999-2222-4333-8444-000000000000" },
    });
    expect(p.queueMap).toEqual([
      ["billing", BILLING.id],
      ["help", SUPPORT.id],
      ["sales", SALES.id],
    ]);
    expect(p.entries[0].queues).toEqual(["help"]);
    expect(p.droppedMapEntries.map((d) => d.key)).toEqual(["old", "sales"]);
  });

  it("is the same whatever order the platform lists codes and queues in", () => {
    const codes = [code(1, "B"), code(2, "A"), code(3, "a!"), code(4, "C")];
    const on = { 1: [SALES.id, SUPPORT.id], 2: [BILLING.id], 3: [] };
    const one = written(plan(org(codes, on)));
    const other = written(plan(org([...codes].reverse(), on, [BILLING, SALES, SUPPORT])));
    expect(other).toBe(one);
  });

  it("on the tutorial's API takes every field from the platform and predicts which adoptions write", () => {
    const tutorial = codeTraits("tutorial");
    const stored = (n: number, name: string, reportingTags: string[]): StoredCode => ({
      id: codeId(n),
      name,
      code: `C${n}`,
      category: "sales",
      queueIds: [SALES.id],
      mandatory: n === 1,
      tags: [],
      reportingTags,
    });
    const derived = ["cat:sales", "sub:conversion", "sub:lead", "sub:follow_up"];
    const o: Organisation = {
      ...org([stored(1, "Sale Won", derived), stored(2, "Sale Lost", [])], { 1: [SALES.id], 2: [SALES.id] }),
      profile: "tutorial",
      divisions: undefined,
    };
    const p = plan(o, NOTHING, { traits: tutorial, rules: {} });
    expect(p.needs).toEqual({ code: [], category: [] });
    expect(p.filled).toEqual([]);
    expect(p.entries).toEqual([
      expect.objectContaining({ key: "sale-lost", code: "C2", category: "sales", queues: ["sales"] }),
      expect.objectContaining({ key: "sale-won", code: "C1", category: "sales", mandatory: true }),
    ]);
    expect(p.entries[0].division).toBeUndefined();
    // Its reporting tags are not those "sales" derives: adopting it writes them.
    expect(p.counts.adoptWrites).toEqual(["sale-lost"]);
  });
});

describe("the files", () => {
  const SAMPLE = `# The team's catalogue.

codes:
  old:
    name: Old
    code: OLD
    category: support
# The webhook, kept.
webhook:
  name: bi-sync # our BI
  queues: [support]
`;

  it("the catalogue: codes: replaced, the rest as it was, filled values marked; the root stack reads it", () => {
    const { doc, previous } = previousFrom(SAMPLE);
    const p = plan(
      org(
        [code(1, "Callback Requested", { description: "Line one: with a colon" }), code(2, "true"), code(3, "0x1F")],
        {
          1: [SUPPORT.id],
          2: [SUPPORT.id],
          3: [SUPPORT.id],
        },
      ),
      previous,
    );
    const text = written(p, doc);
    expect(text).toMatch(/^# The team's catalogue\.\n/);
    expect(text).toContain("# The webhook, kept.\nwebhook:\n  name: bi-sync # our BI\n  queues: [support]\n");
    expect(text).toContain(
      "  callback-requested:\n    name: Callback Requested\n    queues: [support]\n    division: home\n" +
        "    code: CALLBACK_REQUESTED # filled by export (--code-from): check it, then delete this comment\n",
    );
    expect(text).not.toContain("old:");
    const catalogue = parseCatalogue(text, "catalogue/wrapup-codes.yaml");
    expect(catalogue.codes.map((c) => [c.resourceName, c.name, c.code])).toEqual([
      ["0x1f", "0x1F", "0X1F"],
      ["callback-requested", "Callback Requested", "CALLBACK_REQUESTED"],
      ["true", "true", "TRUE"],
    ]);
    expect(catalogue.codes[1]).toMatchObject({ description: "Line one: with a colon", onConflict: "adopt" });
    expect(catalogue.webhook).toEqual({ name: "bi-sync", queues: ["support"] });
  });

  it("a second export of its own file gives the same bytes, and the marks survive until a reviewer removes them", () => {
    const o = org([code(1, "Callback Requested"), code(2, "Refund Issued")], { 1: [SUPPORT.id] });
    const first = written(plan(o));
    const again = previousFrom(first);
    expect(written(plan(o, again.previous), again.doc)).toBe(first);
    // Without the rules this time: the values come from the catalogue, marks included.
    expect(written(plan(o, again.previous, { rules: {} }), again.doc)).toBe(first);
    // A reviewer confirms one value (deletes its comment) and edits another.
    const reviewed = first
      .replace(/(code: CALLBACK_REQUESTED) #.*/, "$1")
      .replace(/code: REFUND_ISSUED #.*/, "code: REF_OK");
    const after = previousFrom(reviewed);
    expect(written(plan(o, after.previous), after.doc)).toBe(reviewed);
  });

  it("the older queues: shape is folded into codes:, keeping each entry's key and values", () => {
    const { doc, previous } = previousFrom(
      `queues:\n  support:\n    cb:\n      name: Callback\n      code: CB\n      category: sales\n`,
    );
    const text = written(plan(org([code(1, "Callback")], { 1: [SUPPORT.id] }), previous), doc);
    expect(text).not.toContain("queues:\n  support:");
    expect(parseCatalogue(text, "c.yaml").codes).toEqual([
      expect.objectContaining({ resourceName: "cb", code: "CB", category: "sales", queues: ["support"] }),
    ]);
  });

  it("the stack's file: the maps replaced, secrets, comments and other keys as they were", () => {
    const before = `encryptionsalt: v1:abc
config:
  genesys:region: eu-central-1 # Frankfurt
  genesys:clientSecret:
    secure: v1:ciphertext
  # Queue ids of this organisation
  wrapup-codes:queues:
    support: REPLACE-ME
`;
    const text = renderStackConfig(
      YAML.parseDocument(before),
      "wrapup-codes",
      [
        ["2nd-line", "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e09"],
        ["support", SUPPORT.id],
      ],
      [["home", HOME]],
    );
    expect(text).toBe(`encryptionsalt: v1:abc
config:
  genesys:region: eu-central-1 # Frankfurt
  genesys:clientSecret:
    secure: v1:ciphertext
  # Queue ids of this organisation
  wrapup-codes:queues:
    "2nd-line": 8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e09
    support: ${SUPPORT.id}
  wrapup-codes:divisions:
    home: ${HOME}
`);
    expect(renderStackConfig(undefined, "p", [["a", SUPPORT.id]], [])).toBe(
      `config:\n  p:queues:\n    a: ${SUPPORT.id}\n`,
    );
  });

  it("a file that is not YAML, or repeats a key, stops the export with where and what to do", () => {
    expect(() => parseYamlFile("codes:\n  a: [\n", "catalogue/wrapup-codes.yaml")).toThrow(
      /^catalogue\/wrapup-codes\.yaml is not valid YAML \(line \d+, column \d+\): .*nothing was written\.$/,
    );
    expect(() => parseYamlFile("codes:\n  a: {name: A}\n  b: {}\n  a: {name: B}\n", "c.yaml")).toThrow(
      'c.yaml: the key "a" appears twice in one mapping. Fix it, then export again; nothing was written.',
    );
  });

  it("the state's WrapUpCodes: resource name, id, inputs; other resources and pending deletes left out", () => {
    const r = (type: string, name: string, id: string, extra = {}) => ({
      urn: `urn:pulumi:prod::wrapup-codes::${type}::${name}`,
      type,
      id,
      inputs: { name },
      ...extra,
    });
    const codes = stateCodes({
      deployment: {
        resources: [
          r("pulumi-nodejs:dynamic/genesys:WrapUpCode", "cb", codeId(1)),
          r("pulumi-nodejs:dynamic/genesys:WrapUpCode", "old", codeId(2), { delete: true }),
          r("pulumi-nodejs:dynamic/genesys:SyncWebhook", "bi", "w1"),
        ],
      },
    });
    expect(codes).toEqual([{ resourceName: "cb", id: codeId(1), inputs: { name: "cb" } }]);
    expect(stateCodes({ version: 3, deployment: {} })).toEqual([]);
  });
});

describe("the command line", () => {
  async function run(...args: string[]) {
    let stdout = "";
    let stderr = "";
    const sink = (write: (s: string) => void) =>
      new Writable({
        write(chunk, _enc, done) {
          write(String(chunk));
          done();
        },
      });
    const code = await main(args, {
      stdout: sink((s) => (stdout += s)),
      stderr: sink((s) => (stderr += s)),
      env: {},
      cwd: "/nonexistent",
    });
    return { code, stdout, stderr };
  }

  it.each([
    [["export"], /--stack is required/],
    [["export", "--stack", "prod", "--code-from", "id"], /--code-from "id" is not a rule; known: name/],
    [["export", "--stack", "prod", "--queues", " , "], /--queues names no queue/],
    [["export", "--stack", "prod", "--format", "yaml"], /--format "yaml" is not one of table, json/],
    [["export", "--stack", "prod", "--queue", "x"], /Unknown option '--queue'/],
  ])("%j is a usage error (exit 2), nothing run", async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("Run `genesys-wrapup export --help`.");
  });

  it("outside a Pulumi project, says where to run it (exit 1)", async () => {
    const r = await run("export", "--stack", "prod");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no Pulumi\.yaml in \/nonexistent: run the export in the root stack's directory/);
  });

  it("is listed by the dispatcher, with its help", async () => {
    expect((await run("--help")).stdout).toMatch(/\n {2}export {2}write the organisation's codes into the catalogue/);
    expect((await run("export", "--help")).stdout).toMatch(/^Usage:\n {2}genesys-wrapup export --stack <stack>/);
  });
});
