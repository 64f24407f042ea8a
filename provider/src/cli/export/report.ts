/** What the export tells the user: what it found, what it wrote and made up, what it left out, what to run next. */
import { alignedLines } from "../audit/output";
import type { Organisation } from "./model";
import type { ExportPlan } from "./plan";

/** The files the export wrote. */
export interface Written {
  readonly catalogue: { readonly file: string; readonly changed: boolean };
  readonly stackFile: { readonly file: string; readonly changed: boolean };
  readonly queuesKey: string;
  /** The divisions key, when the export wrote it. */
  readonly divisionsKey?: string;
}

export interface ExportReport {
  readonly stack: string;
  readonly api: string;
  readonly org: Organisation;
  readonly plan: ExportPlan;
  readonly written: Written;
  readonly notes: readonly string[];
}

/** The report as JSON (`--format json`): every list whole, for scripts. */
export function reportJson(r: ExportReport): string {
  const { plan, org } = r;
  return (
    JSON.stringify(
      {
        stack: r.stack,
        api: r.api,
        profile: org.profile,
        requests: org.requests,
        found: {
          codes: plan.counts.codes,
          queues: plan.counts.queues,
          queuesWithoutCodes: plan.counts.queuesWithoutCodes,
          divisions: org.divisions ? plan.counts.divisions : null,
          codesOnNoQueue: plan.counts.onNoQueue,
          outsideSelection: plan.counts.outsideSelection,
        },
        written: {
          catalogue: { ...r.written.catalogue, codes: plan.entries.length },
          stackConfig: {
            ...r.written.stackFile,
            queues: plan.queueMap.length,
            divisions: plan.divisionMap && r.written.divisionsKey ? plan.divisionMap.length : null,
          },
          exported: plan.counts.exported,
          toAdopt: plan.counts.toAdopt,
          adoptWrites: plan.counts.adoptWrites,
          managed: plan.counts.managed,
        },
        filled: plan.filled,
        kept: plan.kept,
        keptAsWas: plan.keptAsWas,
        dropped: plan.dropped,
        droppedMapEntries: plan.droppedMapEntries,
        refused: plan.refused,
        collisions: plan.collisions,
        problems: plan.problems,
        notes: r.notes,
        next: nextSteps(r).map(([command, why]) => ({ command, why })),
      },
      null,
      2,
    ) + "\n"
  );
}

/** The report for people (the default). */
export function reportTable(r: ExportReport): string {
  const { plan, org, written } = r;
  const c = plan.counts;
  const out: string[] = [
    `Exported the organisation of stack ${r.stack} (${org.profile} API at ${r.api}, ${org.requests} requests)`,
    "",
  ];

  const codesNote = [
    `${c.exported} in the catalogue`,
    plan.refused.length > 0 && `${plan.refused.length} refused by the product's rules`,
    c.outsideSelection > 0 && `${c.outsideSelection} on none of the --queues`,
  ].filter(Boolean);
  const found: string[][] = [
    ["codes", String(c.codes), codesNote.join(", ")],
    ["queues", String(c.queues), c.queuesWithoutCodes > 0 ? `${c.queuesWithoutCodes} offer no code` : ""],
  ];
  if (org.divisions) found.push(["divisions", String(c.divisions), ""]);
  found.push(["on no queue", String(c.onNoQueue.length), c.onNoQueue.length > 0 ? "(listed below)" : ""]);
  out.push("Found", ...alignedLines(found).map(indent), "");
  if (c.onNoQueue.length > 0) {
    out.push(
      `Codes on no queue (${c.onNoQueue.length}; declared with queues: [])`,
      ...wrap(c.onNoQueue).map(indent),
      "",
    );
  }

  const writes = c.adoptWrites.length;
  const adopt =
    `${c.toAdopt} with onConflict: adopt (not in the stack's state yet` +
    (writes > 0 ? `; ${writes} of them differ from the platform: one write each when adopted)` : ")");
  const catalogueNote = [
    `${plan.entries.length} codes`,
    c.toAdopt > 0 && adopt,
    c.managed > 0 && `${c.managed} already in the state`,
  ].filter(Boolean);
  const maps = [`${written.queuesKey} (${plan.queueMap.length} queues)`];
  if (written.divisionsKey && plan.divisionMap)
    maps.push(`${written.divisionsKey} (${plan.divisionMap.length} divisions)`);
  const wrote: string[][] = [
    [written.catalogue.file, changed(written.catalogue.changed), catalogueNote.join(", ")],
    [written.stackFile.file, changed(written.stackFile.changed), `${maps.join(", ")}; every other line as it was`],
  ];
  out.push("Wrote", ...alignedLines(wrote).map(indent), "");

  if (plan.filled.length > 0) {
    // One line per code, its name beside the values made for it: what a reviewer compares.
    const byKey = new Map<string, { name: string; code: string; category: string }>();
    for (const f of plan.filled) {
      const row = byKey.get(f.key) ?? { name: f.name, code: "", category: "" };
      row[f.field] = f.rule.includes("made unique") ? `${f.value} (made unique)` : f.value;
      byKey.set(f.key, row);
    }
    const ruleOf = (field: string) =>
      plan.filled.filter((f) => f.field === field).map((f) => f.rule.replace(" (made unique)", ""));
    const rules = [...new Set([...ruleOf("code"), ...ruleOf("category")])].join(", ");
    out.push(
      `Filled by a rule (${plan.filled.length} values of ${byKey.size} codes, by ${rules}: the platform does not hold them; each is marked "filled by export" in the file, to check in the pull request)`,
      ...alignedLines([
        ["KEY", "NAME", "CODE", "CATEGORY"],
        ...[...byKey].map(([key, r]) => [key, JSON.stringify(r.name), r.code || "(kept)", r.category || "(kept)"]),
      ]).map(indent),
      "",
    );
  }
  if (c.adoptWrites.length > 0) {
    out.push(
      `Adopted with one write (${c.adoptWrites.length}: what the platform holds of them differs from what the catalogue declares, e.g. reporting tags that are not those their category derives)`,
      ...wrap(c.adoptWrites).map(indent),
      "",
    );
  }
  if (plan.kept.length > 0) {
    const fromCatalogue = plan.kept.filter((k) => k.from === "catalogue").length;
    const marked =
      plan.entries.filter((e) => e.verbatim === undefined && e.filled.size > 0).length -
      new Set(plan.filled.map((f) => f.key)).size;
    out.push(
      `Kept: the stack's own values (code, category…) of ${plan.kept.length} codes, from the catalogue (${fromCatalogue}) or the state (${plan.kept.length - fromCatalogue}); not made again` +
        (marked > 0 ? `; ${marked} of them still carry the "filled by export" mark` : ""),
      "",
    );
  }
  if (plan.refused.length > 0) {
    out.push(
      `Refused by the product's rules (${plan.refused.length}; left out of the catalogue, the stack does not touch them)`,
      ...alignedLines([
        ["NAME", "ID", "PROBLEM", "WHAT TO DO"],
        ...plan.refused.map((x) => [JSON.stringify(x.name), x.id, x.problems.join("; "), x.todo]),
      ]).map(indent),
      "",
    );
  }
  if (plan.collisions.length > 0) {
    out.push(
      "Keys that several names give (resolved by name, then id: the same every time)",
      ...alignedLines([
        ["KIND", "KEY", "NAME"],
        ...plan.collisions.flatMap((x) => x.got.map((g) => [x.what, g.key, JSON.stringify(g.name)])),
      ]).map(indent),
      "",
    );
  }
  if (plan.keptAsWas.length > 0) {
    out.push(
      "Entries kept as they were (their codes were not exported)",
      ...alignedLines(plan.keptAsWas.map((k) => [k.key, JSON.stringify(k.name), k.why])).map(indent),
      "",
    );
  }
  if (plan.dropped.length > 0) {
    out.push(
      `Entries of the catalogue that name no code of the organisation: left out (${plan.dropped.length}; restore one from git if it is a new code not applied yet)`,
      ...alignedLines(plan.dropped.map((d) => [d.key, JSON.stringify(d.name)])).map(indent),
      "",
    );
  }
  if (plan.droppedMapEntries.length > 0) {
    out.push(
      "Map entries that name no queue or division of the organisation: left out",
      ...alignedLines(plan.droppedMapEntries.map((d) => [d.map, d.key, d.value])).map(indent),
      "",
    );
  }
  const warnings = [...plan.problems, ...r.notes];
  if (warnings.length > 0) out.push("Warnings", ...warnings.map(indent), "");
  out.push("Next", ...alignedLines(nextSteps(r)).map(indent), "");
  return out.join("\n");
}

function nextSteps(r: ExportReport): string[][] {
  const { plan, written } = r;
  const c = plan.counts;
  const writes = c.adoptWrites.length;
  const files = `${written.catalogue.file} ${written.stackFile.file}`;
  const checks = plan.filled.length > 0 ? `; check the ${plan.filled.length} values marked "filled by export"` : "";
  const preview =
    c.toAdopt > 0
      ? `shows ${c.toAdopt} creates: each one adopts the existing code of that name (onConflict: adopt); none makes a new code`
      : "shows what differs between the catalogue and the stack";
  return [
    [`git diff -- ${files}`, `review the two files${checks}`],
    [`pulumi preview --diff --stack ${r.stack}`, preview],
    [
      `pulumi up --stack ${r.stack}`,
      c.toAdopt > 0
        ? `takes them into the state: ${c.toAdopt - writes} without any write, ${writes} with one write each`
        : "applies the catalogue",
    ],
    [`git add ${files} && git commit`, "then open the pull request"],
  ];
}

/** Keys joined by commas in lines of at most 100 characters. */
function wrap(items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const next = line === "" ? item : `${line}, ${item}`;
    if (next.length > 100 && line !== "") {
      lines.push(`${line},`);
      line = item;
    } else line = next;
  }
  if (line !== "") lines.push(line);
  return lines;
}

const indent = (line: string) => `  ${line}`;
const changed = (yes: boolean) => (yes ? "written" : "unchanged");
