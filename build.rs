//! Embeds every `queries/*.sql` file in the binary, so the built-in library works from any directory.
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("queries/ exists")
        .map(|e| e.expect("readable queries/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let mut out = String::from("pub static BUILTIN: &[(&str, &str)] = &[\n");
    // The library's version for `athq --version`: how many queries, and a digest of their files
    // (FNV-1a over names and contents), so two builds with different queries say so.
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        for b in name.bytes().chain(fs::read(f).expect("readable query file")) {
            digest = (digest ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=ATHQ_LIBRARY_VERSION={} queries, {:08x}", files.len(), digest >> 32);
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = format!("queries/{}", f.file_name().unwrap().to_string_lossy());
        out.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", f.display().to_string()));
    }
    out.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_queries.rs"), out).unwrap();
}
