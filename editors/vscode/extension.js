// Starts `rung lsp` for .rung files. The TextMate grammar highlights before
// the server answers; the server's semantic tokens refine it after.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("rung").get("server.path", "rung");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "rung",
    "rung",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "rung" }, { scheme: "untitled", language: "rung" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
