//! `http-service`: a tokio + hyper HTTP service with one wide event per request.
//!
//! ```text
//! # load mode: start on an ephemeral loopback port, send N real requests, shut down, summarise
//! cargo run --release --example http-service -- --requests 1000 --concurrency 16 [--out FILE] [--format emf|json]
//! # serve mode: serve until Ctrl-C
//! cargo run --release --example http-service -- [--addr 127.0.0.1:8080]
//! curl -s localhost:8080/hello; curl -s -d hi localhost:8080/echo; curl -s localhost:8080/downstream
//! ```
//!
//! Each request gets a [`RequestMetrics`] record with:
//! - `Operation`, from the route (a `#[metrics(value(string))]` enum), and the `Status` sent;
//! - `Latency`, a [`Timer`] stopped when the response is ready;
//! - `InFlight`, the number of requests being served when this one started, from
//!   [`Counter::increment_scoped`] on a `static` counter (the guard decrements it on drop);
//! - `Config*`, the configuration this request used: a [`State`] snapshot, flattened. A
//!   background task reloads the configuration every few milliseconds; each request pins the
//!   version it first reads, and that is the version it reports;
//! - `Downstream*`, filled by a spawned "downstream call" task through a [`Slot`]. The slot is
//!   opened with `OnParentDrop::Wait(flush_guard)`, so the request record is written only
//!   after the downstream task has reported, even though the response was sent long before.
//!
//! Shutdown is graceful: the server stops accepting, open connections finish, outstanding
//! downstream tasks finish, then the [`AttachHandle`] is dropped, which drains the background
//! queue: every request record is written.
// Examples talk to the user on stdout/stderr by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fs::File;
use std::future::Future;
use std::io::{self, BufWriter, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::graceful::GracefulShutdown;
use metrique::emf::Emf;
use metrique::json::Json;
use metrique::timers::Timer;
use metrique::unit::Byte;
use metrique::unit_of_work::metrics;
use metrique::writer::format::Format;
use metrique::writer::sink::AttachHandle;
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};
use metrique::{Counter, OnParentDrop, ServiceMetrics, Slot};
use metrique_util::State;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

// ---------------------------------------------------------------------------------------------
// The records
// ---------------------------------------------------------------------------------------------

/// The operation, from the route. Written as a string (`"Operation":"Echo"`).
#[metrics(value(string))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    /// `GET /hello`
    Hello,
    /// `POST /echo`
    Echo,
    /// `GET /downstream`: answers at once, finishes a "downstream call" in the background.
    Downstream,
    /// `GET /fail`: always 500.
    Fail,
    /// Anything else: 404.
    NotFound,
}

/// The service configuration, reloaded in the background. Flattened into every request
/// record (through a [`State`] snapshot) as `ConfigVersion`, `ConfigGreeting`, ….
#[metrics(subfield)]
#[derive(Debug, Clone)]
struct Config {
    version: u64,
    greeting: Arc<str>,
    #[metrics(unit = metrique::unit::Millisecond)]
    downstream_delay: u64,
}

/// What the downstream task reports back through its slot.
#[metrics(subfield_owned)]
#[derive(Default)]
struct DownstreamMetrics {
    latency: Timer,
    attempts: u64,
    cache_hit: bool,
}

/// One wide event per request.
#[metrics(rename_all = "PascalCase")]
struct RequestMetrics {
    operation: Operation,
    /// The status sent (unset only if the handler panicked).
    status: Option<u16>,
    latency: Timer,
    /// Requests in flight when this one started, itself included.
    in_flight: u64,
    #[metrics(unit = Byte)]
    request_size: u64,
    #[metrics(unit = Byte)]
    response_size: u64,
    #[metrics(flatten, prefix = "Config")]
    config: State<Config>,
    #[metrics(flatten, prefix = "Downstream")]
    downstream: Slot<DownstreamMetrics>,
}

/// Requests being served right now (a gauge: `increment_scoped` returns a decrementing guard).
static IN_FLIGHT: Counter = Counter::new(0);

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/// Shared by every connection.
#[derive(Clone)]
struct App {
    /// The long-lived configuration handle; each request takes a fresh clone of it.
    config: State<Config>,
    /// Every downstream task holds a clone; shutdown waits until all are dropped.
    downstream_tasks: mpsc::Sender<()>,
}

type Body = Full<Bytes>;

async fn handle(req: Request<Incoming>, app: App) -> Result<Response<Body>, Infallible> {
    let (_in_flight_guard, in_flight) = IN_FLIGHT.increment_scoped();
    let operation = match (req.method(), req.uri().path()) {
        (&Method::GET, "/hello") => Operation::Hello,
        (&Method::POST, "/echo") => Operation::Echo,
        (&Method::GET, "/downstream") => Operation::Downstream,
        (&Method::GET, "/fail") => Operation::Fail,
        _ => Operation::NotFound,
    };
    let mut metrics = RequestMetrics {
        operation,
        status: None,
        latency: Timer::start_now(),
        in_flight,
        request_size: 0,
        response_size: 0,
        // A fresh handle: its first `snapshot()` pins the configuration for this request.
        config: app.config.clone(),
        downstream: Slot::default(),
    }
    .append_on_drop(ServiceMetrics::sink());
    let config = metrics.config.snapshot();

    let (status, body) = match operation {
        Operation::Hello => (
            StatusCode::OK,
            Bytes::from(format!(
                "{} (config v{})\n",
                config.greeting, config.version
            )),
        ),
        Operation::Echo => match req.into_body().collect().await {
            Ok(collected) => {
                let body = collected.to_bytes();
                metrics.request_size = body.len() as u64;
                (StatusCode::OK, body)
            }
            Err(_) => (StatusCode::BAD_REQUEST, Bytes::from_static(b"bad body\n")),
        },
        Operation::Downstream => {
            // Hand a sub-record to a background task. `Wait` gives the slot a flush guard of
            // the request record: the record is written when the task drops the slot guard,
            // not when this handler returns.
            let flush_guard = metrics.flush_guard();
            let mut downstream = metrics
                .downstream
                .open(OnParentDrop::Wait(flush_guard))
                .expect("the slot is opened once");
            let delay = Duration::from_millis(config.downstream_delay);
            let version = config.version;
            let task_token = app.downstream_tasks.clone();
            tokio::spawn(async move {
                downstream.latency = Timer::start_now();
                downstream.attempts = 1;
                tokio::time::sleep(delay).await;
                downstream.cache_hit = version.is_multiple_of(2);
                downstream.latency.stop();
                // Dropping `downstream` sends the sub-record to the request record, then
                // releases the flush guard: the request record is written now.
                drop(downstream);
                drop(task_token);
            });
            (StatusCode::OK, Bytes::from_static(b"accepted\n"))
        }
        Operation::Fail => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Bytes::from_static(b"failed, as asked\n"),
        ),
        Operation::NotFound => (StatusCode::NOT_FOUND, Bytes::from_static(b"not found\n")),
    };

    metrics.status = Some(status.as_u16());
    metrics.response_size = body.len() as u64;
    // Stop the clock now: the record itself may be written later (see `Downstream`).
    metrics.latency.stop();
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    Ok(response)
}

/// Accept connections until `shutdown` resolves, then shut down gracefully: stop accepting,
/// let open connections finish their current request (idle keep-alive connections are
/// closed), with a 10 s cap.
async fn serve(listener: TcpListener, app: App, shutdown: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        eprintln!("http-service: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let app = app.clone();
                let service = service_fn(move |req| handle(req, app.clone()));
                let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        eprintln!("http-service: connection error: {e}");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(10), graceful.shutdown())
        .await
        .is_err()
    {
        eprintln!("http-service: some connections did not close within 10 s");
    }
}

/// Store a new configuration every 25 ms, forever (the caller aborts the task).
async fn reload_config(config: State<Config>) {
    let greetings = ["hello", "bonjour", "hallo", "hola"];
    let mut version = 1;
    loop {
        tokio::time::sleep(Duration::from_millis(25)).await;
        version += 1;
        config.store(Arc::new(Config {
            version,
            greeting: Arc::from(greetings[version as usize % greetings.len()]),
            downstream_delay: 1 + version % 5,
        }));
    }
}

/// Start the service on `listener` and run `work` while it serves; then shut everything down
/// gracefully and wait for outstanding downstream tasks.
async fn run_service<T>(listener: TcpListener, work: impl Future<Output = T>) -> T {
    let config = State::new(Config {
        version: 1,
        greeting: Arc::from("hello"),
        downstream_delay: 2,
    });
    let reloader = tokio::spawn(reload_config(config.clone()));
    let (downstream_tasks, mut all_downstream_done) = mpsc::channel::<()>(1);
    let app = App {
        config,
        downstream_tasks,
    };

    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, app, async move {
        let _ = stop_rx.await;
    }));
    let result = work.await;
    let _ = stop_tx.send(());
    server.await.expect("server task panicked");
    // Every downstream task holds a sender; `recv` returns `None` once all are gone.
    while all_downstream_done.recv().await.is_some() {}
    reloader.abort();
    result
}

// ---------------------------------------------------------------------------------------------
// The load generator (a real HTTP client)
// ---------------------------------------------------------------------------------------------

/// The request mix, cycled through in order: 1/2 OK, 1/6 404, 1/6 500 (and the rest OK).
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/hello"),
    ("POST", "/echo"),
    ("GET", "/downstream"),
    ("GET", "/missing"),
    ("GET", "/fail"),
    ("GET", "/hello"),
];

#[derive(Debug, Default)]
struct ClientSummary {
    statuses: BTreeMap<u16, u64>,
    failures: u64,
}

async fn send_requests(addr: SocketAddr, requests: usize, concurrency: usize) -> ClientSummary {
    let client: Client<_, Body> = Client::builder(TokioExecutor::new()).build_http();
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let client = client.clone();
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            let mut summary = ClientSummary::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    break;
                }
                let (method, path) = ROUTES[i % ROUTES.len()];
                let body = if method == "POST" {
                    Bytes::from(format!("request {i}\n"))
                } else {
                    Bytes::new()
                };
                let request = Request::builder()
                    .method(method)
                    .uri(format!("http://{addr}{path}"))
                    .body(Full::new(body))
                    .expect("valid request");
                match client.request(request).await {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        match response.into_body().collect().await {
                            Ok(_) => *summary.statuses.entry(status).or_default() += 1,
                            Err(_) => summary.failures += 1,
                        }
                    }
                    Err(e) => {
                        eprintln!("http-service: request failed: {e}");
                        summary.failures += 1;
                    }
                }
            }
            summary
        }));
    }
    let mut total = ClientSummary::default();
    for task in tasks {
        let summary = task.await.expect("client task panicked");
        for (status, count) in summary.statuses {
            *total.statuses.entry(status).or_default() += count;
        }
        total.failures += summary.failures;
    }
    total
}

// ---------------------------------------------------------------------------------------------
// Command line and main
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Args {
    requests: Option<usize>,
    concurrency: usize,
    addr: SocketAddr,
    out: Option<PathBuf>,
    json: bool,
}

const USAGE: &str = "\
usage: http-service [--requests N [--concurrency C]] [--addr ADDR] [--out FILE] [--format emf|json]

With --requests: serve on an ephemeral loopback port, send N requests (C at a time, default 8)
over /hello, /echo, /downstream, /missing (404) and /fail (500), shut down gracefully and print
what the client saw on stderr. Without: serve on ADDR (default 127.0.0.1:8080) until Ctrl-C.

One metrics record per request goes to stdout (or FILE), as EMF (default) or JSON lines.";

fn parse_args() -> Result<Option<Args>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args {
        requests: None,
        concurrency: 8,
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        out: None,
        json: false,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Long("requests") => args.requests = Some(parser.value()?.parse()?),
            Long("concurrency") => args.concurrency = parser.value()?.parse()?,
            Long("addr") => args.addr = parser.value()?.parse()?,
            Long("out") => args.out = Some(PathBuf::from(parser.value()?)),
            Long("format") => {
                let value = parser.value()?;
                args.json = match value.to_str() {
                    Some("emf") => false,
                    Some("json") => true,
                    _ => {
                        return Err(lexopt::Error::UnexpectedValue {
                            option: "--format".into(),
                            value,
                        });
                    }
                };
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Some(args))
}

fn attach_output(args: &Args) -> io::Result<AttachHandle> {
    let out: Box<dyn Write + Send> = match &args.out {
        Some(path) => Box::new(BufWriter::new(File::create(path)?)),
        None => Box::new(io::stdout()),
    };
    fn attach(format: impl Format + Send + 'static, out: Box<dyn Write + Send>) -> AttachHandle {
        ServiceMetrics::attach_to_stream(format.output_to(out))
    }
    Ok(if args.json {
        attach(Json::new(), out)
    } else {
        attach(
            Emf::all_validations("HttpService".to_owned(), vec![vec![]]),
            out,
        )
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("http-service: {e}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let attach_handle = match attach_output(&args) {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("http-service: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");

    let outcome = runtime.block_on(async {
        match args.requests {
            Some(requests) => {
                let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
                let addr = listener.local_addr()?;
                eprintln!("http-service: serving on http://{addr}, sending {requests} requests");
                let started = Instant::now();
                let summary =
                    run_service(listener, send_requests(addr, requests, args.concurrency)).await;
                Ok::<_, io::Error>(Some((requests, started.elapsed(), summary)))
            }
            None => {
                let listener = TcpListener::bind(args.addr).await?;
                eprintln!(
                    "http-service: serving on http://{}, Ctrl-C to stop",
                    listener.local_addr()?
                );
                run_service(listener, async {
                    let _ = tokio::signal::ctrl_c().await;
                    eprintln!("http-service: shutting down");
                })
                .await;
                Ok(None)
            }
        }
    });
    // No task may still hold a request record once the runtime is gone.
    drop(runtime);
    // Drain the background queue: every request record is written before we exit.
    drop(attach_handle);

    match outcome {
        Err(e) => {
            eprintln!("http-service: {e}");
            ExitCode::FAILURE
        }
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some((requests, elapsed, summary))) => {
            let secs = elapsed.as_secs_f64().max(1e-9);
            eprintln!(
                "http-service: {requests} requests in {secs:.2} s ({:.0} req/s), concurrency {}, {} failed",
                requests as f64 / secs,
                args.concurrency,
                summary.failures,
            );
            for (status, count) in &summary.statuses {
                eprintln!("  status {status}: {count}");
            }
            if summary.failures == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
