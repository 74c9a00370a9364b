//! Whole-file gunzip with libdeflate, the fastest inflater measured for flow logs (see
//! `bench/local`). AWS writes each `.log.gz` as one gzip member whose trailer gives its size, so
//! the file inflates in one call into a buffer of exactly that size. Anything else (several
//! members, trailing bytes, a size past the cap, damage) gives `None`, and the caller reads the
//! file with the streaming decoder instead, which gives the same rows or the same error: this
//! module only ever makes reading faster, never different. It must not parse records.

use libdeflate_sys::{
    libdeflate_alloc_decompressor, libdeflate_free_decompressor, libdeflate_gzip_decompress_ex,
    libdeflate_result_LIBDEFLATE_SUCCESS,
};

/// The largest text inflated whole; bigger files are streamed to keep memory bounded.
pub const MAX_WHOLE: usize = 256 << 20;

/// The text of `gz` when it is exactly one gzip member of at most [`MAX_WHOLE`] bytes.
pub fn inflate_whole(gz: &[u8]) -> Option<Vec<u8>> {
    // A gzip member is at least a 10-byte header, an empty deflate block and an 8-byte trailer.
    let trailer: [u8; 4] = gz.get(gz.len().checked_sub(4)?..)?.try_into().ok()?;
    let size = usize::try_from(u32::from_le_bytes(trailer)).ok()?;
    if gz.len() < 20 || size == 0 || size > MAX_WHOLE {
        return None;
    }
    let mut out = vec![0u8; size];
    let (mut used, mut produced) = (0usize, 0usize);
    // SAFETY: the decompressor is checked for NULL, used by this thread only and freed once;
    // libdeflate reads at most `gz.len()` bytes from `gz` and writes at most `out.len()` bytes
    // into `out`, both live and unaliased for the call, and sets the two counts it is given.
    let result = unsafe {
        let d = libdeflate_alloc_decompressor();
        if d.is_null() {
            return None;
        }
        let r = libdeflate_gzip_decompress_ex(
            d,
            gz.as_ptr().cast(),
            gz.len(),
            out.as_mut_ptr().cast(),
            out.len(),
            &raw mut used,
            &raw mut produced,
        );
        libdeflate_free_decompressor(d);
        r
    };
    // The whole input is one member (nothing after it) and its text is the size its trailer gave.
    (result == libdeflate_result_LIBDEFLATE_SUCCESS && used == gz.len() && produced == size).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn one_member_inflates_whole() {
        let text = b"version srcaddr\n2 10.0.0.1\n".repeat(5000);
        assert_eq!(inflate_whole(&gzip(&text)).as_deref(), Some(&text[..]));
    }

    #[test]
    fn anything_but_one_whole_member_is_left_to_the_stream() {
        let one = gzip(&b"2 10.0.0.1\n".repeat(100));
        // Two members of the same size: the trailer matches the first, yet the second is there.
        assert_eq!(inflate_whole(&[one.clone(), one.clone()].concat()), None);
        assert_eq!(inflate_whole(&[one.clone(), vec![0]].concat()), None);
        assert_eq!(inflate_whole(&one[..one.len() - 1]), None);
        assert_eq!(inflate_whole(&one[..one.len() / 2]), None);
        assert_eq!(inflate_whole(&gzip(b"")), None);
        assert_eq!(inflate_whole(b""), None);
        assert_eq!(inflate_whole(b"\x1f\x8b"), None);
        let mut flipped = one.clone();
        flipped[20] ^= 0xff;
        assert_eq!(inflate_whole(&flipped), None);
    }
}
