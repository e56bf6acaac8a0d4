//! `rung lsp`: the language server over standard input and output (see
//! `rung::lsp`). Editors start it; it runs until the editor says `exit`.

use std::process::ExitCode;

use rung::lsp;
use rung::lsp::diagnostics::ExplainDocs;

/// Arguments of `rung lsp`.
#[derive(clap::Args)]
pub struct Args {
    /// Accepted and ignored: editors (VS Code's client among them) pass it
    /// to say the protocol runs over standard input and output, the only
    /// transport there is.
    #[arg(long)]
    stdio: bool,
}

/// Runs the server until the client exits.
pub fn run(args: Args) -> ExitCode {
    let _ = args.stdio;
    let (connection, threads) = lsp_server::Connection::stdio();
    let served = lsp::serve(connection, ExplainDocs::in_temp_dir());
    let joined = threads.join();
    match (served, joined) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(e), _) => {
            eprintln!("rung lsp: {e}");
            ExitCode::FAILURE
        }
        (_, Err(e)) => {
            eprintln!("rung lsp: {e}");
            ExitCode::FAILURE
        }
    }
}
