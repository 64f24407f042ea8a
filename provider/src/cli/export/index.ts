import * as path from "node:path";
import * as YAML from "yaml";
import { codeTraits } from "../../profiles/traits";
import { isRecord } from "../../util";
import { PulumiCli } from "../audit/pulumiCli";
import { Command, CommandError, CommandIO, EXIT, UsageError } from "../command";
import { KEY_RE } from "./keys";
import { parseExportOptions } from "./options";
import { profileFor, readOrganisation } from "./organisation";
import { planExport, type ExportPlan } from "./plan";
import { catalogueEntries, parseYamlFile, stateCodes } from "./previous";
import { DEFAULT_CATALOGUE, findProject, readIfExists, shown, writeWhole } from "./project";
import { renderCatalogue, renderStackConfig } from "./render";
import { reportJson, reportTable } from "./report";
import { readStackConfig } from "./stackConfig";

const HELP = `Usage:
  genesys-wrapup export --stack <stack> [--queues <name,…>] [--code-from name] [--category-default <category>]
                        [--format table|json]

Brings an existing organisation under the root stack: reads every wrap-up code of the stack's organisation, every
queue's codes and the queues' and divisions' names, and writes
  - the catalogue (catalogue/wrapup-codes.yaml, or the stack's wrapup-codes:catalogue): every code once, with its
    name, queues, division and description, under a key made from its name; onConflict: adopt on each code the
    stack's state does not hold yet, so that the next \`pulumi up\` takes it over instead of creating it;
  - the stack's queue and division maps (wrapup-codes:queues, wrapup-codes:divisions in Pulumi.<stack>.yaml),
    every other line of that file as it was.
Run it in the root stack's directory, with the environment \`pulumi up\` uses there: the credentials and region are
the provider's (genesys:* of the stack, secrets decrypted by the stack's secrets provider, then GENESYSCLOUD_*).

The platform does not hold a code's short \`code\` or its \`category\`. The export keeps the ones the catalogue or the
stack's state already has, and makes the others only by the rules given below; it lists every value it made and
marks each in the file ("filled by export") for the pull request. Without a needed rule it writes nothing and says
which. Keys already in the catalogue or the state are kept; new keys collide deterministically (name, then id:
-2, -3…). Codes whose names the product's rules refuse are reported with what to do, and left out. An unchanged
organisation exports to byte-identical files.

Flags:
  -s, --stack <stack>              the stack (required): its organisation, its Pulumi.<stack>.yaml
  -q, --queues <name,…>            only codes on these queues (names, case-insensitive; may be repeated); the
                                   catalogue's other entries are kept as they are
      --code-from name             make a missing short code from the name: "Callback Requested" → CALLBACK_REQUESTED
                                   (unique: _2, _3… when two names give one code)
      --category-default <cat>     the category of a code that has none (one of the stack's disposition categories)
  -f, --format <format>            table (the default: for people) or json (for scripts)
  -h, --help                       this help

Exit codes: 0 written (codes refused by the rules are reported, not an error), 1 failed or a rule is missing (the
reason is on stderr; nothing was written), 2 wrong command line.
`;

export const exportCommand: Command = {
  name: "export",
  summary: "write the organisation's codes into the catalogue and the stack's queue map, ready to adopt",
  help: HELP,
  async run(args: string[], io: CommandIO): Promise<number> {
    const options = parseExportOptions(args);
    const project = findProject(io.cwd, options.stack);
    const cli = new PulumiCli(io.cwd, io.env);
    const progress = (line: string) => {
      if ((io.stderr as NodeJS.WriteStream).isTTY) io.stderr.write(`${line}\n`);
    };

    progress(`reading the configuration of stack ${options.stack}…`);
    const config = await readStackConfig(cli, project, options.stack, io.env);
    const { settings } = config;
    const traits = codeTraits(settings.apiProfile);
    const notes = [...config.notes];
    const categories = Object.keys(settings.dispositionMatrix);
    if (options.categoryDefault !== undefined && !categories.includes(options.categoryDefault)) {
      throw new UsageError(
        `--category-default "${options.categoryDefault}" is not a disposition category of stack ${options.stack}; ` +
          `known: ${categories.join(", ")} (genesys:dispositionMatrix)`,
      );
    }
    for (const [flag, field] of [
      ["--code-from", "code"],
      ["--category-default", "category"],
    ] as const) {
      const given = flag === "--code-from" ? options.codeFrom : options.categoryDefault;
      if (given !== undefined && (traits.held as readonly string[]).includes(field)) {
        notes.push(`${flag} was not needed: the ${traits.profile} API holds every code's ${field}`);
      }
    }

    const configured = (key: string) => {
      const value = config.value(`${project.name}:${key}`);
      return typeof value === "string" && value !== "" ? value : undefined;
    };
    const catalogueFile = path.resolve(
      project.dir,
      io.env.WRAPUP_CATALOGUE || configured("catalogue") || DEFAULT_CATALOGUE,
    );
    const catalogueShown = shown(project.dir, catalogueFile);
    const stackShown = shown(project.dir, project.stackFile);
    const catalogueDoc = parsed(readIfExists(catalogueFile), catalogueShown);
    const stackDoc = parsed(readIfExists(project.stackFile), stackShown);

    progress(`reading the state of stack ${options.stack}…`);
    const state = stateCodes(await cli.json(["stack", "export", "--stack", options.stack]));
    const olderShape = state.filter((s) => !KEY_RE.test(s.resourceName)).map((s) => s.resourceName);
    if (olderShape.length > 0) throw olderShapeError(options.stack, olderShape);

    const profile = profileFor(settings);
    progress(`reading the organisation at ${profile.api.apiUrl}…`);
    const org = await readOrganisation(profile, options.queues);
    if (org.divisionsUnreadable) notes.push(org.divisionsUnreadable);
    const plan = planExport({
      org,
      previous: {
        catalogue: catalogueEntries(catalogueDoc),
        queueMap: mapOf(config.value(`${project.name}:queues`)),
        divisionMap: mapOf(config.value(`${project.name}:divisions`)),
        state,
      },
      traits,
      matrix: settings.dispositionMatrix,
      rules: { codeFrom: options.codeFrom, categoryDefault: options.categoryDefault },
      selection: options.queues.length > 0,
    });
    if (plan.needs.code.length > 0 || plan.needs.category.length > 0) throw missingRules(plan, categories);
    notes.push(...webhookNotes(catalogueDoc, plan, catalogueShown));

    const divisionsKey = plan.divisionMap ? `${project.name}:divisions` : undefined;
    const written = {
      catalogue: {
        file: catalogueShown,
        changed: writeWhole(catalogueFile, renderCatalogue(catalogueDoc, plan.entries)),
      },
      stackFile: {
        file: stackShown,
        changed: writeWhole(
          project.stackFile,
          renderStackConfig(stackDoc, project.name, plan.queueMap, plan.divisionMap),
        ),
      },
      queuesKey: `${project.name}:queues`,
      divisionsKey,
    };
    const report = { stack: options.stack, api: profile.api.apiUrl, org, plan, written, notes };
    io.stdout.write(options.format === "json" ? reportJson(report) : reportTable(report));
    return EXIT.ok;
  },
};

function parsed(text: string | undefined, file: string): YAML.Document | undefined {
  return text === undefined ? undefined : parseYamlFile(text, file);
}

/** The catalogue's webhook may name only queues its codes use (the root stack refuses others): say which it lost. */
function webhookNotes(doc: YAML.Document | undefined, plan: ExportPlan, file: string): string[] {
  const node = doc?.getIn(["webhook", "queues"], true);
  const named: unknown[] = YAML.isSeq(node) ? node.toJSON() : [];
  const used = new Set(plan.entries.flatMap((e) => e.queues));
  const lost = named.filter((q): q is string => typeof q === "string" && !used.has(q));
  if (lost.length === 0) return [];
  return [
    `${file}: webhook.queues names ${lost.map((q) => `"${q}"`).join(", ")}, which no code of the catalogue is on now: ` +
      "the preview refuses that; take them out of webhook.queues, or use queue keys of wrapup-codes:queues",
  ];
}

function mapOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** No rule for a value the platform does not hold: nothing is written, and the message says which flag to give. */
function missingRules(plan: ExportPlan, categories: readonly string[]): CommandError {
  const lines = ["the platform does not hold a code's short `code` or its `category`, and some codes have none yet:"];
  const few = (keys: readonly string[]) => (keys.length > 5 ? `${keys.slice(0, 5).join(", ")}, …` : keys.join(", "));
  if (plan.needs.code.length > 0) {
    lines.push(`  ${plan.needs.code.length} codes need a code (${few(plan.needs.code)}): add --code-from name`);
  }
  if (plan.needs.category.length > 0) {
    lines.push(
      `  ${plan.needs.category.length} codes need a category (${few(plan.needs.category)}): add --category-default ` +
        `<${categories.join("|")}>`,
    );
  }
  lines.push(
    "Every value a rule makes is listed and marked in the file for the pull request; edit any of them there. Nothing was written.",
  );
  return new CommandError(lines.join("\n"));
}

function olderShapeError(stack: string, names: readonly string[]): CommandError {
  const few = names.length > 5 ? `${names.slice(0, 5).join(", ")}, …` : names.join(", ");
  return new CommandError(
    `stack ${stack} manages ${names.length} codes declared under the catalogue's older queues: shape (${few}). The ` +
      "export writes codes: entries, whose resource names differ: the next up would delete those codes and adopt " +
      `them anew. Move them to codes: entries first (pulumi state rename --stack ${stack} <urn> <key>, then the same ` +
      "key under codes:), then export. Nothing was written.",
  );
}
