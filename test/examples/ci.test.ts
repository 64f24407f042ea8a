import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { EmulatorProcess, startEmulator } from "../support/emulator";
import { REPO_ROOT } from "../support/pulumi";
import { ProjectCopy, ROOT_STACK_FILES } from "./project";

// examples/ci/wrapup-codes.yml: which events run which job, that every file of the root stack triggers it, that
// every secret and variable it reads is documented, and that its Preview and Deploy commands, run as written, do
// what the README says on a copy of the root stack (against the emulator, with the dev stack standing in for prod).

const workflow = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "examples/ci/wrapup-codes.yml"), "utf8")) as any;
const readme = fs.readFileSync(path.join(REPO_ROOT, "examples/ci/README.md"), "utf8");
const stepRun = (job: string, name: string): string => workflow.jobs[job].steps.find((s: any) => s.name === name).run;

describe("examples/ci", () => {
  it("previews on pull requests and deploys on pushes to main, for any change to the root stack", () => {
    expect(workflow.jobs.preview.if).toBe("github.event_name == 'pull_request'");
    expect(workflow.jobs.deploy.if).toBe("github.event_name == 'push'");
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.concurrency).toEqual({ group: "wrapup-codes-prod", "cancel-in-progress": false });
    for (const trigger of ["pull_request", "push"]) {
      const paths: string[] = workflow.on[trigger].paths;
      for (const file of ROOT_STACK_FILES.filter((f) => f !== "Pulumi.dev.yaml")) {
        const pattern = fs.statSync(path.join(REPO_ROOT, file)).isDirectory() ? `${file}/**` : file;
        expect(paths).toContain(pattern);
      }
    }
  });

  it("documents every secret and variable it reads", () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, "examples/ci/wrapup-codes.yml"), "utf8");
    const used = [...text.matchAll(/\$\{\{ (?:secrets|vars)\.([A-Z_]+) \}\}/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const name of new Set(used)) expect(readme).toContain(`| \`${name}\``);
  });

  describe("its commands, as written", () => {
    let em: EmulatorProcess;
    let project: ProjectCopy;

    beforeAll(async () => {
      em = await startEmulator({ profile: "platform" });
      project = ProjectCopy.create(".", {
        only: ROOT_STACK_FILES,
        env: {
          PULUMI_STACK: "dev",
          PULUMI_CONFIG_PASSPHRASE: "dev-emulator",
          GENESYSCLOUD_API_URL: em.url,
          GENESYSCLOUD_OAUTHCLIENT_ID: em.clientId,
          GENESYSCLOUD_OAUTHCLIENT_SECRET: em.clientSecret,
        },
      });
      await project.mustRun("dev", ["stack", "init"]);
      // No BI endpoint in this test: the stack then declares no webhook.
      await project.mustRun("dev", ["config", "rm", "wrapup-codes:callbackUrl"]);
    }, 180_000);
    afterAll(async () => {
      await em?.stop();
      project?.cleanup();
    });

    it("Preview prints the plan, keeps it for the summary and makes no request; Deploy applies it", async () => {
      await em.resetStats();
      const preview = await project.shell(stepRun("preview", "Preview"));
      expect(preview.code).toBe(0);
      expect(preview.stdout).toMatch(/\+ pulumi-nodejs:dynamic\/genesys:WrapUpCode: \(create\)/);
      expect(fs.readFileSync(project.file("preview.txt"), "utf8")).toBe(preview.stdout);
      expect((await em.stats()).total).toBe(0);

      const summary = project.file("summary.md");
      const shown = await project.shell(stepRun("preview", "Show the preview in the run summary"), {
        GITHUB_STEP_SUMMARY: summary,
      });
      expect(shown.code).toBe(0);
      expect(fs.readFileSync(summary, "utf8")).toContain("pulumi preview --diff` of stack `dev`");

      const deploy = await project.shell(stepRun("deploy", "Deploy"));
      expect(deploy.code).toBe(0);
      expect(deploy.stdout).toMatch(/\+ \d+ created/);
      const codes = (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500")).body.entities;
      expect(codes.length).toBeGreaterThan(0);
    }, 240_000);

    it("Preview fails the job when the preview fails (pipefail through tee)", async () => {
      fs.writeFileSync(project.file("catalogue/wrapup-codes.yaml"), "queues:\n  support:\n    a: { code: 1 }\n");
      const preview = await project.shell(stepRun("preview", "Preview"));
      expect(preview.code).not.toBe(0);
      expect(fs.readFileSync(project.file("preview.txt"), "utf8")).toContain("queues.support.a.name: is required");
    }, 120_000);
  });
});
