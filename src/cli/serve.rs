//! `rung serve POLICY [--addr 127.0.0.1:8181] [--decision-log FILE|-]`:
//! the decision service and the analyst's console (see `rung::serve`).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use rung::diagnostic::Diag;
use rung::serve::log::DecisionLog;
use rung::serve::{self, Config, ServeError, Service};

use super::ErrorFormat;

/// Arguments of `rung serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files or directories (watched: an edit that checks is swapped in).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Where to listen. The default is this machine only; anything else must
    /// be asked for, and belongs behind a reverse proxy with TLS and
    /// authentication.
    #[arg(long, default_value = "127.0.0.1:8181")]
    addr: String,
    /// Append one JSON line per decision to FILE, or write it to standard
    /// output with `-`.
    #[arg(long, value_name = "FILE|-")]
    decision_log: Option<String>,
    /// Largest request body, in bytes (`KiB`, `MiB`, `GiB` suffixes allowed).
    #[arg(long, default_value = "32MiB", value_parser = parse_size)]
    max_body: usize,
    /// Longest an evaluation may take, in seconds, before the client gets 503.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Evaluations run at once (by default, one per core).
    #[arg(long)]
    max_concurrent: Option<usize>,
    /// Longest a request waits for an evaluation slot, in seconds, before it
    /// gets 503 with `Retry-After`.
    #[arg(long, default_value_t = 5.0)]
    queue_wait: f64,
    /// How to write the startup reports.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
}

/// `4096`, `512KiB`, `32MiB`, `1GiB`.
fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (digits, unit) = t.find(|c: char| !c.is_ascii_digit()).map_or((t, ""), |i| {
        (t.get(..i).unwrap_or(t), t.get(i..).unwrap_or(""))
    });
    let n: usize = digits
        .parse()
        .map_err(|_| format!("expected a size such as 4096, 512KiB or 32MiB, found `{text}`"))?;
    let scale: usize = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        other => return Err(format!("unknown unit `{other}`: use KiB, MiB or GiB")),
    };
    n.checked_mul(scale)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// Seconds from the command line as a duration (negative or not a number
/// is zero; huge is a day).
fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s.clamp(0.0, 86_400.0)).unwrap_or(Duration::ZERO)
}

/// A future that resolves when the process is asked to stop: Ctrl-C
/// (SIGINT) or SIGTERM. The handlers are installed when this is called, not
/// when the future is first polled, so a signal that arrives as soon as the
/// service says it is listening is not lost (nor does it kill the process).
#[cfg(unix)]
fn stop_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).ok();
    let mut int = signal(SignalKind::interrupt()).ok();
    async move {
        let term = async {
            match term.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        let int = async {
            match int.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = term => {}
            () = int => {}
        }
        stopping();
    }
}

/// Ctrl-C elsewhere.
#[cfg(not(unix))]
fn stop_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
        stopping();
    }
}

fn stopping() {
    let _ = writeln!(
        std::io::stderr(),
        "rung serve: stopping: finishing the requests in flight"
    );
}

/// Runs `rung serve`.
pub fn run(args: Args) -> ExitCode {
    let format = args.error_format;
    let mut policy = match super::load_as(&args.paths, format) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let warnings: Vec<Diag> = std::mem::take(&mut policy.warnings)
        .into_iter()
        .map(Diag::from)
        .collect();
    super::emit(&warnings, format);
    let log = match args
        .decision_log
        .as_deref()
        .map(DecisionLog::open)
        .transpose()
    {
        Ok(l) => l,
        Err(e) => {
            super::emit(&[Diag::from(e)], format);
            return ExitCode::from(2);
        }
    };
    let mut config = Config::new(args.paths.clone());
    config.max_body = args.max_body;
    config.timeout = seconds(args.timeout);
    config.queue_wait = seconds(args.queue_wait);
    if let Some(n) = args.max_concurrent {
        config.max_concurrent = n.max(1);
    }
    let service = Arc::new(Service::new(config, policy, log));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return cannot_bind(&args.addr, &e, format),
    };
    let code = runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(&args.addr).await {
            Ok(l) => l,
            Err(e) => return cannot_bind(&args.addr, &e, format),
        };
        let stop = stop_signal();
        let local = listener
            .local_addr()
            .map_or_else(|_| args.addr.clone(), |a| a.to_string());
        let _ = writeln!(
            std::io::stderr(),
            "rung serve: policy {} · listening on http://{local}/",
            service.policy().digest.short()
        );
        if listener.local_addr().is_ok_and(|a| !a.ip().is_loopback()) {
            let _ = writeln!(
                std::io::stderr(),
                "rung serve: reachable beyond this machine; rung has no TLS and no users: \
                 put it behind a reverse proxy that has them"
            );
        }
        let _watch = match serve::watch::watch(Arc::clone(&service)) {
            Ok(w) => Some(w),
            Err(e) => {
                serve::watch::warn(e);
                None
            }
        };
        match serve::serve(listener, Arc::clone(&service), stop).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "rung serve: {e}");
                ExitCode::from(1)
            }
        }
    });
    // Requests answered; an evaluation that timed out may still be running
    // on a blocking thread: it is given a moment, its answer already sent.
    runtime.shutdown_timeout(Duration::from_secs(2));
    code
}

/// The report that the service could not start listening on `addr` (its
/// runtime or its socket), exit 2.
fn cannot_bind(addr: &str, e: &std::io::Error, format: ErrorFormat) -> ExitCode {
    let bind = ServeError::Bind {
        addr: addr.to_string(),
        message: e.to_string(),
    };
    super::emit(&[Diag::from(bind)], format);
    ExitCode::from(2)
}
