import { Batcher, FlightBatcher } from "../../provider/src/profiles/platform/batch";

/** A `run` that records each batch it gets and answers when the test lets it. */
function recorder() {
  const batches: string[][] = [];
  const gates: (() => void)[] = [];
  const run = async (keys: string[]): Promise<Map<string, string | Error>> => {
    batches.push(keys);
    await new Promise<void>((release) => gates.push(release));
    return new Map(keys.map((k) => [k, k.startsWith("bad") ? new Error(`${k} refused`) : `done ${k}`]));
  };
  const releaseAll = () => gates.splice(0).forEach((release) => release());
  return { batches, run, releaseAll };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Batcher (reads by id)", () => {
  it("sends the keys asked for within the window as one batch and answers each caller with its own result", async () => {
    const r = recorder();
    const batcher = new Batcher(10, 100, r.run);
    const answers = Promise.allSettled([batcher.get("a"), batcher.get("b"), batcher.get("a"), batcher.get("bad1")]);
    await tick(30);
    r.releaseAll();
    expect(r.batches).toEqual([["a", "b", "bad1"]]);
    expect((await answers).map((a) => (a.status === "fulfilled" ? a.value : (a.reason as Error).message))).toEqual([
      "done a",
      "done b",
      "done a",
      "bad1 refused",
    ]);
  });

  it("sends a full batch at once, without waiting for the window", async () => {
    const r = recorder();
    const batcher = new Batcher(60_000, 2, r.run);
    const answers = Promise.all([batcher.get("a"), batcher.get("b")]);
    await tick(5);
    expect(r.batches).toEqual([["a", "b"]]);
    r.releaseAll();
    expect(await answers).toEqual(["done a", "done b"]);
  });
});

describe("FlightBatcher (membership adds)", () => {
  it("sends the first key after the window, and every key that comes while it flies together in the next", async () => {
    const r = recorder();
    const batcher = new FlightBatcher(10, 3, r.run);
    const first = batcher.get("a");
    await tick(30);
    expect(r.batches).toEqual([["a"]]);
    const later = Promise.all(["b", "c", "d", "e"].map((k) => batcher.get(k)));
    await tick(30);
    // Still one batch: "a" is in flight, the others wait for it to land.
    expect(r.batches).toEqual([["a"]]);
    r.releaseAll();
    expect(await first).toBe("done a");
    await tick(5);
    expect(r.batches).toEqual([["a"], ["b", "c", "d"]]);
    r.releaseAll();
    await tick(5);
    expect(r.batches).toEqual([["a"], ["b", "c", "d"], ["e"]]);
    r.releaseAll();
    expect(await later).toEqual(["done b", "done c", "done d", "done e"]);
  });

  it("fails only the callers of a batch whose run failed, and goes on with the next", async () => {
    let calls = 0;
    const batcher = new FlightBatcher<string, string>(0, 100, async (keys) => {
      calls += 1;
      if (calls === 1) throw new Error("503 from the platform");
      return new Map(keys.map((k) => [k, `done ${k}`]));
    });
    const first = batcher.get("a");
    const second = batcher.get("b");
    await expect(first).rejects.toThrow("503 from the platform");
    await expect(second).rejects.toThrow("503 from the platform");
    expect(await batcher.get("c")).toBe("done c");
  });
});
