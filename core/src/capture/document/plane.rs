//! A borrowed 8-bit luma plane with a row stride (as cameras deliver them), and the area
//! average that shrinks one into a reusable buffer.

use crate::Error;

/// Luma rows of `width` bytes, `stride` bytes apart.
#[derive(Debug, Clone, Copy)]
pub struct Plane<'a> {
    pub data: &'a [u8],
    pub width: usize,
    pub height: usize,
    pub stride: usize,
}

impl<'a> Plane<'a> {
    /// Checks that `data` holds every row; refuses empty planes and strides below the width.
    pub fn new(data: &'a [u8], width: usize, height: usize, stride: usize) -> Result<Plane<'a>, Error> {
        let invalid = |reason: String| Error::InvalidArgument { name: "frame".into(), reason };
        if width == 0 || height == 0 {
            return Err(invalid(format!("{width}x{height} has no pixels")));
        }
        if stride < width {
            return Err(invalid(format!("row stride {stride} is less than the width {width}")));
        }
        let needed = stride.checked_mul(height - 1).and_then(|n| n.checked_add(width));
        match needed {
            Some(n) if n <= data.len() => Ok(Plane { data, width, height, stride }),
            _ => Err(invalid(format!("{} bytes cannot hold {height} rows of {width} with stride {stride}", data.len()))),
        }
    }

    /// A tightly packed plane.
    pub fn packed(data: &'a [u8], width: usize, height: usize) -> Result<Plane<'a>, Error> {
        Plane::new(data, width, height, width)
    }

    pub fn row(&self, y: usize) -> &'a [u8] {
        &self.data[y * self.stride..y * self.stride + self.width]
    }

    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.data[y * self.stride + x]
    }
}

/// Buffers [`shrink_into`] reuses.
#[derive(Debug, Default)]
pub struct ShrinkScratch {
    cols: Vec<(u32, u32)>,
    sums: Vec<u32>,
}

/// The size with the same aspect whose long side is `long` (never larger than the plane).
pub fn shrunk_size(width: usize, height: usize, long: usize) -> (usize, usize) {
    let big = width.max(height);
    if big <= long {
        return (width, height);
    }
    let scale = |v: usize| ((v * long + big / 2) / big).max(1);
    (scale(width), scale(height))
}

/// Averages `src` over a `dw` × `dh` grid into `dst` (resized to fit), each output pixel the
/// mean of the source pixels whose centres fall in its cell. `scratch` is reused between calls.
pub fn shrink_into(src: &Plane, (dw, dh): (usize, usize), dst: &mut Vec<u8>, scratch: &mut ShrinkScratch) {
    let ShrinkScratch { cols, sums } = scratch;
    dst.clear();
    dst.resize(dw * dh, 0);
    cols.clear();
    cols.extend((0..dw).map(|x| ((x * src.width / dw) as u32, (((x + 1) * src.width / dw).max(x * src.width / dw + 1)) as u32)));
    sums.clear();
    sums.resize(dw, 0);
    for y in 0..dh {
        let (y0, y1) = (y * src.height / dh, ((y + 1) * src.height / dh).max(y * src.height / dh + 1));
        sums.iter_mut().for_each(|s| *s = 0);
        for sy in y0..y1 {
            let row = src.row(sy);
            for (s, &(x0, x1)) in sums.iter_mut().zip(cols.iter()) {
                *s += row[x0 as usize..x1 as usize].iter().map(|&v| v as u32).sum::<u32>();
            }
        }
        let out = &mut dst[y * dw..(y + 1) * dw];
        for ((o, &s), &(x0, x1)) in out.iter_mut().zip(sums.iter()).zip(cols.iter()) {
            let n = (x1 - x0) * (y1 - y0) as u32;
            *o = ((s + n / 2) / n) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planes_must_hold_every_row() {
        let data = vec![0u8; 10 * 3 + 8];
        assert!(Plane::new(&data, 8, 4, 10).is_ok());
        assert!(Plane::new(&data, 8, 5, 10).is_err());
        assert!(Plane::new(&data, 11, 2, 10).is_err());
        assert!(Plane::new(&data, 0, 2, 10).is_err());
        assert!(Plane::new(&data, usize::MAX / 2, 3, usize::MAX / 2).is_err());
    }

    #[test]
    fn shrinking_averages_cells_and_skips_the_padding() {
        // 4 × 2 with a stride of 6: the padding (255) must never reach the output.
        let data = [10, 20, 30, 40, 255, 255, 50, 60, 70, 80, 255, 255];
        let plane = Plane::new(&data, 4, 2, 6).unwrap();
        let mut out = Vec::new();
        shrink_into(&plane, (2, 1), &mut out, &mut ShrinkScratch::default());
        assert_eq!(out, [35, 55]);
        assert_eq!(shrunk_size(640, 480, 320), (320, 240));
        assert_eq!(shrunk_size(100, 50, 320), (100, 50));
    }
}
