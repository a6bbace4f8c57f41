//! A small, bounded HTTP/1.1 load generator for `make bench`: keeps `--connections`
//! keep-alive connections busy against each `--path` in turn for `--seconds`, and prints
//! requests per second, p50 and p99 of each, and the throughput of every path after the
//! first as a ratio to the first (the benchmark passes `/healthz` first).
//!
//! Loopback only and plain HTTP: it measures this server on this machine, nothing else.
//! Written instead of installing `oha`/`wrk` so the benchmark needs nothing beyond the
//! workspace's own dependencies.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What the command line asks for.
struct Options {
    address: SocketAddr,
    paths: Vec<String>,
    headers: Vec<String>,
    connections: usize,
    seconds: u64,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        address: "127.0.0.1:8080".parse().map_err(|_| "address")?,
        paths: Vec::new(),
        headers: Vec::new(),
        connections: 32,
        seconds: 10,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--address" => {
                options.address = value.parse().map_err(|_| format!("bad address {value}"))?;
                if !options.address.ip().is_loopback() {
                    return Err("only loopback addresses are benchmarked".into());
                }
            }
            "--path" => options.paths.push(value),
            "--header" => options.headers.push(value),
            "--connections" => {
                options.connections = value.parse().map_err(|_| "bad --connections")?;
            }
            "--seconds" => options.seconds = value.parse().map_err(|_| "bad --seconds")?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options.paths.is_empty() {
        return Err("give at least one --path".into());
    }
    options.seconds = options.seconds.clamp(1, 120);
    options.connections = options.connections.clamp(1, 1024);
    Ok(options)
}

/// One connection's results: latencies in microseconds and failed requests.
#[derive(Default)]
struct Tally {
    latencies: Vec<u64>,
    errors: u64,
}

/// Reads one response; true when it was a 200.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<bool> {
    buffer.clear();
    let mut chunk = [0_u8; 16 * 1024];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let ok = head.starts_with("http/1.1 200");
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .ok_or_else(|| std::io::Error::other("responses must carry content-length"))?;
    while buffer.len() < head_end + length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Ok(ok)
}

async fn connection(address: SocketAddr, request: Vec<u8>, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut buffer = Vec::with_capacity(64 * 1024);
    'reconnect: while Instant::now() < until {
        let Ok(mut stream) = TcpStream::connect(address).await else {
            tally.errors += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        while Instant::now() < until {
            let started = Instant::now();
            if stream.write_all(&request).await.is_err() {
                tally.errors += 1;
                continue 'reconnect;
            }
            match read_response(&mut stream, &mut buffer).await {
                Ok(true) => tally
                    .latencies
                    .push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)),
                Ok(false) => tally.errors += 1,
                Err(_) => {
                    tally.errors += 1;
                    continue 'reconnect;
                }
            }
        }
    }
    tally
}

/// Requests per second, p50 and p99 in milliseconds, and errors, for one path.
struct Measurement {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

async fn run(options: &Options, path: &str) -> Measurement {
    let mut request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n",
        options.address
    );
    for header in &options.headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    let duration = Duration::from_secs(options.seconds);
    let started = Instant::now();
    let until = started + duration;
    let tasks: Vec<_> = (0..options.connections)
        .map(|_| {
            tokio::spawn(connection(
                options.address,
                request.clone().into_bytes(),
                until,
            ))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok(tally) = task.await {
            latencies.extend(tally.latencies);
            errors += tally.errors;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let percentile = |p: f64| {
        if latencies.is_empty() {
            return f64::NAN;
        }
        let index = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[index] as f64 / 1000.0
    };
    Measurement {
        rps: latencies.len() as f64 / elapsed,
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
        errors,
    }
}

#[tokio::main]
async fn main() {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("load: {message}");
            std::process::exit(2);
        }
    };
    let mut baseline = None;
    for path in &options.paths {
        // A short warm-up fills caches and the connection pool.
        let warm = Options {
            seconds: 1,
            address: options.address,
            paths: Vec::new(),
            headers: options.headers.clone(),
            connections: options.connections,
        };
        let _ = run(&warm, path).await;
        let result = run(&options, path).await;
        let ratio = match baseline {
            None => {
                baseline = Some(result.rps);
                String::new()
            }
            Some(base) => format!("  ratio {:.3}x", result.rps / base),
        };
        println!(
            "{path}: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, {} errors, {} connections{ratio}",
            result.rps, result.p50_ms, result.p99_ms, result.errors, options.connections
        );
    }
}
