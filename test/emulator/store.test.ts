/** The journal store in-process: replay, online compaction, torn lines, locking. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Store } from "../../emulator/src/store";
import { TutorialData } from "../../emulator/src/profiles/tutorial/data";
import type { WrapupCode } from "../../emulator/src/profiles/tutorial/model";

let dir: string;
const logs: string[] = [];
const log = (m: string) => logs.push(m);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-emu-store-"));
  logs.length = 0;
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function code(id: string, codeName: string, queueId = "q1"): WrapupCode {
  const now = new Date().toISOString();
  return {
    id,
    codeName,
    code: "C",
    codeCategoryName: "support",
    routingQueue: { id: queueId },
    mandatoryField: false,
    reportingTags: [],
    validFrom: null,
    validThrough: null,
    description: null,
    dateCreated: now,
    dateModified: now,
    createdBy: "t",
    modifiedBy: "t",
  };
}

/** Opens `dir` as a tutorial data dir. */
const open = (d = dir) => Store.open(d, log, "tutorial", (j) => new TutorialData(j));

const journalLines = () => fs.readFileSync(path.join(dir, "journal.jsonl"), "utf8").trim().split("\n").length;

test("a fresh dir is marked fresh; a reopened one is not", () => {
  const s = open();
  expect(s.fresh).toBe(true);
  s.putClient({ clientId: "c", clientSecret: "s", scopes: [] });
  s.close();
  const again = open();
  expect(again.fresh).toBe(false);
  expect(again.clients.get("c")?.clientSecret).toBe("s");
  again.close();
});

test("the journal is compacted while running once it is mostly garbage, and replays to the same state", () => {
  const s = open();
  s.putClient({ clientId: "c", clientSecret: "s", scopes: [] });
  for (let i = 0; i < 25_000; i++) s.data.putCode(code("a", `Name ${i}`));
  s.data.putCode(code("b", "Other"));
  s.data.deleteCode("b");
  expect(journalLines()).toBeLessThan(10_000);
  expect(s.data.findCodeByName("q1", "name 24999")?.id).toBe("a");
  expect(s.data.findCodeByName("q1", "name 0")).toBeUndefined();
  s.close();
  const again = open();
  expect([...again.data.codes.keys()]).toEqual(["a"]);
  expect(again.data.codes.get("a")?.codeName).toBe("Name 24999");
  expect(again.data.queueCodeCount("q1")).toBe(1);
  expect(journalLines()).toBe(4); // meta, client, matrix, code
  again.close();
});

test("a torn last line is skipped with a warning; earlier records are kept", () => {
  const s = open();
  s.data.putCode(code("a", "Kept"));
  s.close();
  fs.appendFileSync(path.join(dir, "journal.jsonl"), '{"t":"code","v":{"id":"b","codeNa');
  const again = open();
  expect([...again.data.codes.keys()]).toEqual(["a"]);
  expect(logs.some((l) => l.includes("torn"))).toBe(true);
  again.close();
});

test("the same dir cannot be opened twice; close releases it", () => {
  const s = open();
  expect(() => open()).toThrow(/already used/);
  s.close();
  expect(fs.existsSync(path.join(dir, "emulator.lock"))).toBe(false);
  open().close();
});

test("a lock left by a dead process is taken over", () => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "emulator.lock"), "999999999\n");
  const s = open();
  expect(fs.readFileSync(path.join(dir, "emulator.lock"), "utf8").trim()).toBe(String(process.pid));
  s.close();
});

test("codes are listed by codeName case-insensitively, then id", () => {
  const s = open();
  s.data.putCode(code("3", "beta"));
  s.data.putCode(code("1", "Alpha"));
  s.data.putCode(code("2", "alpha", "q2"));
  expect(s.data.sortedCodes().map((c) => c.id)).toEqual(["1", "2", "3"]);
  s.close();
});

test("per-queue listings follow creates, moves and deletes", () => {
  const s = open();
  s.data.putCode(code("a", "A"));
  s.data.putCode(code("b", "B"));
  expect(s.data.codesOfQueue("q1").map((c) => c.id)).toEqual(["a", "b"]);
  s.data.putCode(code("a", "A", "q2"));
  expect(s.data.codesOfQueue("q1").map((c) => c.id)).toEqual(["b"]);
  expect(s.data.codesOfQueue("q2").map((c) => c.id)).toEqual(["a"]);
  s.data.putCode(code("c", "a", "q1"));
  expect(s.data.codesNamed("A").map((c) => c.id)).toEqual(["a", "c"]);
  s.data.deleteCode("a");
  expect(s.data.codesOfQueue("q2")).toEqual([]);
  expect(s.data.codesNamed("a").map((c) => c.id)).toEqual(["c"]);
  expect(s.data.codesOfQueue("nope")).toEqual([]);
  s.close();
});
