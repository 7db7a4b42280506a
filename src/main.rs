//! The `msr` binary: see [`msr::cli`].

fn main() -> std::process::ExitCode {
    msr::cli::main()
}
