//! `comeback-server`: parses the command line and hands over to the library.

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = comeback_server::cli::Cli::parse();
    comeback_server::cli::init_tracing();
    comeback_server::cli::run(cli).await
}
