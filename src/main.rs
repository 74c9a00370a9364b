fn main() -> std::process::ExitCode {
    athq::main()
}
