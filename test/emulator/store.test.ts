/** The journal store in-process: replay, online compaction, torn lines, locking. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Store } from "../../emulator/src/store";
import type { WrapupCode } from "../../emulator/src/model";

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

const journalLines = () => fs.readFileSync(path.join(dir, "journal.jsonl"), "utf8").trim().split("\n").length;

test("a fresh dir is marked fresh; a reopened one is not", () => {
  const s = Store.open(dir, log);
  expect(s.fresh).toBe(true);
  s.putClient({ clientId: "c", clientSecret: "s", scopes: [] });
  s.close();
  const again = Store.open(dir, log);
  expect(again.fresh).toBe(false);
  expect(again.clients.get("c")?.clientSecret).toBe("s");
  again.close();
});

test("the journal is compacted while running once it is mostly garbage, and replays to the same state", () => {
  const s = Store.open(dir, log);
  s.putClient({ clientId: "c", clientSecret: "s", scopes: [] });
  for (let i = 0; i < 25_000; i++) s.putCode(code("a", `Name ${i}`));
  s.putCode(code("b", "Other"));
  s.deleteCode("b");
  expect(journalLines()).toBeLessThan(10_000);
  expect(s.findCodeByName("q1", "name 24999")?.id).toBe("a");
  expect(s.findCodeByName("q1", "name 0")).toBeUndefined();
  s.close();
  const again = Store.open(dir, log);
  expect([...again.codes.keys()]).toEqual(["a"]);
  expect(again.codes.get("a")?.codeName).toBe("Name 24999");
  expect(again.queueCodeCount("q1")).toBe(1);
  expect(journalLines()).toBe(4); // meta, client, matrix, code
  again.close();
});

test("a torn last line is skipped with a warning; earlier records are kept", () => {
  const s = Store.open(dir, log);
  s.putCode(code("a", "Kept"));
  s.close();
  fs.appendFileSync(path.join(dir, "journal.jsonl"), '{"t":"code","v":{"id":"b","codeNa');
  const again = Store.open(dir, log);
  expect([...again.codes.keys()]).toEqual(["a"]);
  expect(logs.some((l) => l.includes("torn"))).toBe(true);
  again.close();
});

test("the same dir cannot be opened twice; close releases it", () => {
  const s = Store.open(dir, log);
  expect(() => Store.open(dir, log)).toThrow(/already used/);
  s.close();
  expect(fs.existsSync(path.join(dir, "emulator.lock"))).toBe(false);
  Store.open(dir, log).close();
});

test("a lock left by a dead process is taken over", () => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "emulator.lock"), "999999999\n");
  const s = Store.open(dir, log);
  expect(fs.readFileSync(path.join(dir, "emulator.lock"), "utf8").trim()).toBe(String(process.pid));
  s.close();
});

test("codes are listed by codeName case-insensitively, then id", () => {
  const s = Store.open(dir, log);
  s.putCode(code("3", "beta"));
  s.putCode(code("1", "Alpha"));
  s.putCode(code("2", "alpha", "q2"));
  expect(s.sortedCodes().map((c) => c.id)).toEqual(["1", "2", "3"]);
  s.close();
});

test("per-queue listings follow creates, moves and deletes", () => {
  const s = Store.open(dir, log);
  s.putCode(code("a", "A"));
  s.putCode(code("b", "B"));
  expect(s.codesOfQueue("q1").map((c) => c.id)).toEqual(["a", "b"]);
  s.putCode(code("a", "A", "q2"));
  expect(s.codesOfQueue("q1").map((c) => c.id)).toEqual(["b"]);
  expect(s.codesOfQueue("q2").map((c) => c.id)).toEqual(["a"]);
  s.putCode(code("c", "a", "q1"));
  expect(s.codesNamed("A").map((c) => c.id)).toEqual(["a", "c"]);
  s.deleteCode("a");
  expect(s.codesOfQueue("q2")).toEqual([]);
  expect(s.codesNamed("a").map((c) => c.id)).toEqual(["c"]);
  expect(s.codesOfQueue("nope")).toEqual([]);
  s.close();
});
