/**
 * Messages from the provider to the `pulumi` CLI's output (its Diagnostics), where the engine shows them beside the
 * run: what a BI-sync webhook will deliver, and what it could not.
 *
 * The nodejs dynamic-provider host connects no logging of its own (`pulumi.log` in a provider goes nowhere), but it
 * is started with the engine's address as its first argument (`…/cmd/dynamic-provider/index.js <engine address>`),
 * and the engine's Log call takes messages from any plugin. Outside that host (a program, a test) messages go to
 * stderr. The provider does not know resource URNs (pulumi/pulumi#9434), so messages name their resource and are
 * shown at the stack.
 */
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";

export type LogSeverity = "info" | "warning";

interface EngineLog {
  log(message: string, severity: LogSeverity): Promise<void>;
}

let engine: EngineLog | undefined | null;

function engineAddress(): string | undefined {
  const [, script, address] = process.argv;
  if (!script || !/dynamic-provider(\/index\.js)?$/.test(script.replace(/\\/g, "/"))) return undefined;
  return address && /^[\w.-]+:\d+$/.test(address) ? address : undefined;
}

function connect(): EngineLog | null {
  const address = engineAddress();
  if (!address) return null;
  try {
    // Loaded from the SDK the host itself runs on (a peer dependency), only inside the host.
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] })) as typeof grpcTypes;
    const rpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
    const proto = require("@pulumi/pulumi/proto/engine_pb");
    const client = new rpc.EngineClient(address, grpc.credentials.createInsecure());
    return {
      log: (message, severity) =>
        new Promise<void>((resolve) => {
          const request = new proto.LogRequest();
          request.setSeverity(severity === "warning" ? proto.LogSeverity.WARNING : proto.LogSeverity.INFO);
          request.setMessage(message);
          request.setUrn("");
          client.log(request, () => resolve());
        }),
    };
  } catch {
    return null;
  }
}

/** Shows `message` in the CLI's output (stderr outside the dynamic-provider host). Never throws. */
export async function engineLog(message: string, severity: LogSeverity = "info"): Promise<void> {
  if (engine === undefined) engine = connect();
  if (engine === null) {
    process.stderr.write(`${severity}: ${message}\n`);
    return;
  }
  await engine.log(message, severity).catch(() => undefined);
}
