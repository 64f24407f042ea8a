/**
 * Runs after every test file (jest `setupFilesAfterEnv`): whatever a file started and did not stop — because a
 * test failed between starting something and its own cleanup — is stopped here, so no child process outlives its
 * file and holds jest open. Nothing is registered by hand: startEmulator, runCommand and spawnPulumi record what
 * they start.
 */
import { stopAllEmulators } from "./emulator";
import { killRunningCommands } from "./pulumi";

afterAll(async () => {
  killRunningCommands();
  await stopAllEmulators();
});
