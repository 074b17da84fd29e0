//! Walking a JPEG's entropy-coded data without decoding pixels, to prove every block is there.
//!
//! A JPEG cut short in transfer with an end-of-image marker appended decodes "successfully" in
//! every lenient decoder (and in zune-jpeg's strict mode): the decoder pads the missing data
//! with zero bits, and the lower part of the picture becomes a smear of the last decoded row.
//! Decoding the Huffman symbols is the only way to know how many bits the blocks need, so this
//! walk decodes them (and nothing else: no coefficients, no IDCT) for every scan, and fails when
//! a scan's data ends before its last block.

use crate::capture::format::{jpeg_segment_at, JpegFrame};

/// Why a walk failed.
pub(crate) type Failure = &'static str;

/// Walks every scan of a sequential or progressive Huffman JPEG; `Err` when the data of some
/// scan ends before its last block or is not valid Huffman data. Other codings (arithmetic,
/// lossless) are left to the decoder, which refuses them.
pub(crate) fn walk(bytes: &[u8], frame: &JpegFrame) -> Result<(), Failure> {
    if !matches!(frame.coding, 0xC0..=0xC2) {
        return Ok(());
    }
    let progressive = frame.coding == 0xC2;
    let mut tables: [Option<Huffman>; 8] = Default::default();
    let mut restart_interval = 0u32;
    // Per block, a bit per coefficient that is already non-zero (progressive refinement needs it).
    let mut nonzero: Vec<Vec<u64>> =
        if progressive { frame.components.iter().map(|c| vec![0; frame.blocks(c).0 * frame.blocks(c).1]).collect() } else { vec![] };
    let mut pos = 2;
    let mut scans = 0;
    loop {
        let (marker, body) = jpeg_segment_at(bytes, &mut pos).ok_or("the data ends before the end-of-image marker")?;
        match marker {
            0xD9 => return if scans > 0 { Ok(()) } else { Err("no scan") },
            0xC4 => parse_dht(body, &mut tables)?,
            0xDD => restart_interval = body.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]]) as u32).ok_or("bad DRI")?,
            0xDA => {
                let scan = Scan::parse(body, frame)?;
                let mut bits = Bits::new(bytes, pos);
                scan.walk(frame, &tables, restart_interval, &mut bits, &mut nonzero)?;
                pos = bits.marker_at.ok_or("the data ends before the end-of-image marker")?;
                scans += 1;
            }
            _ => {}
        }
    }
}

/// One scan header: which components, which tables, which coefficients and bits.
struct Scan {
    /// (index into the frame's components, DC table, AC table)
    components: Vec<(usize, usize, usize)>,
    ss: usize,
    se: usize,
    /// The successive-approximation high bit: non-zero in a refinement scan.
    ah: u8,
}

impl Scan {
    fn parse(body: &[u8], frame: &JpegFrame) -> Result<Scan, Failure> {
        let n = *body.first().ok_or("bad SOS")? as usize;
        let mut components = Vec::with_capacity(n);
        for i in 0..n {
            let (id, tables) = (*body.get(1 + 2 * i).ok_or("bad SOS")?, *body.get(2 + 2 * i).ok_or("bad SOS")?);
            let index = frame.components.iter().position(|c| c.id == id).ok_or("scan names an unknown component")?;
            components.push((index, (tables >> 4) as usize & 3, 4 + (tables & 3) as usize));
        }
        let rest = body.get(1 + 2 * n..4 + 2 * n).ok_or("bad SOS")?;
        Ok(Scan { components, ss: rest[0] as usize, se: rest[1] as usize, ah: rest[2] >> 4 })
    }

    fn walk(
        &self,
        frame: &JpegFrame,
        tables: &[Option<Huffman>; 8],
        restart_interval: u32,
        bits: &mut Bits,
        nonzero: &mut [Vec<u64>],
    ) -> Result<(), Failure> {
        if self.components.is_empty() || self.ss > self.se || self.se > 63 {
            return Err("bad SOS");
        }
        let table = |t: usize| tables[t].as_ref().ok_or("a scan uses a missing Huffman table");
        let mut eobrun = 0u32;
        // A scan of one component codes its blocks one by one; an interleaved scan, by MCU.
        let single = self.components.len() == 1;
        let (mcus_x, mcus_y) = if single {
            frame.blocks(&frame.components[self.components[0].0])
        } else {
            frame.mcus()
        };
        // Per component of the scan: its tables, its blocks per MCU and its blocks per row.
        let layout: Vec<(usize, usize, usize, usize, usize, usize)> = self
            .components
            .iter()
            .map(|&(ci, dc, ac)| {
                let c = &frame.components[ci];
                let (h, v) = if single { (1, 1) } else { (c.h as usize, c.v as usize) };
                (ci, dc, ac, h, v, frame.blocks(c).0)
            })
            .collect();
        let mut done = 0u32;
        for my in 0..mcus_y {
            for mx in 0..mcus_x {
                if restart_interval > 0 && done > 0 && done.is_multiple_of(restart_interval) {
                    bits.restart()?;
                    eobrun = 0;
                }
                done += 1;
                for &(ci, dc, ac, h, v, row) in &layout {
                    for by in 0..v {
                        for bx in 0..h {
                            let block = (my * v + by) * row + mx * h + bx;
                            let mask = nonzero.get_mut(ci).and_then(|m| m.get_mut(block));
                            self.block(dc, ac, &table, bits, &mut eobrun, mask)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads one block's symbols.
    fn block<'t>(
        &self,
        dc: usize,
        ac: usize,
        table: &impl Fn(usize) -> Result<&'t Huffman, Failure>,
        bits: &mut Bits,
        eobrun: &mut u32,
        mut mask: Option<&mut u64>,
    ) -> Result<(), Failure> {
        if self.ss == 0 {
            if self.ah == 0 {
                let s = table(dc)?.decode(bits)?;
                bits.skip(s as u32 & 15)?;
            } else {
                bits.skip(1)?;
            }
            if self.se == 0 {
                return Ok(());
            }
        }
        let ac = table(ac)?;
        let first = self.ss.max(1);
        if self.ah > 0 {
            return refine(ac, bits, first, self.se, eobrun, mask.ok_or("bad SOS")?);
        }
        if *eobrun > 0 {
            *eobrun -= 1;
            return Ok(());
        }
        let mut k = first;
        while k <= self.se {
            // Most symbols and their extra bits fit the lookup together: one step for both.
            if bits.count < 32 {
                bits.fill();
            }
            let (len, run) = ac.fast_ac[bits.peek(FAST_BITS) as usize];
            if len > 0 && len as u32 <= bits.count {
                bits.consume(len as u32);
                k += run as usize;
                if let (Some(m), true) = (mask.as_deref_mut(), k < 64) {
                    *m |= 1 << k;
                }
                k += 1;
                continue;
            }
            let rs = ac.decode(bits)?;
            let (r, s) = ((rs >> 4) as usize, rs & 15);
            if s == 0 {
                if r < 15 {
                    // EOB; in progressive scans it may start a run of empty blocks.
                    *eobrun = (1 << r) - 1 + bits.take(r as u32)?;
                    return Ok(());
                }
                k += 16;
                continue;
            }
            k += r;
            bits.skip(s as u32)?;
            if let (Some(m), true) = (mask.as_deref_mut(), k < 64) {
                *m |= 1 << k;
            }
            k += 1;
        }
        if k > self.se + 1 { Err("a block runs past its last coefficient") } else { Ok(()) }
    }
}

/// A progressive AC refinement pass over one block (ITU T.81 G.1.2.3): the correction bits it
/// reads depend on which coefficients earlier scans made non-zero, hence `mask`.
fn refine(ac: &Huffman, bits: &mut Bits, first: usize, last: usize, eobrun: &mut u32, mask: &mut u64) -> Result<(), Failure> {
    let mut k = first;
    let nz = |m: u64, k: usize| m & (1 << k) != 0;
    if *eobrun == 0 {
        while k <= last {
            let rs = ac.decode(bits)?;
            let (mut r, s) = ((rs >> 4) as i32, rs & 15);
            if s == 0 && r < 15 {
                *eobrun = (1 << r) + bits.take(r as u32)?;
                break;
            }
            if s != 0 {
                bits.skip(1)?; // the sign of a newly non-zero coefficient
            }
            while k <= last {
                if nz(*mask, k) {
                    bits.skip(1)?;
                } else {
                    if r == 0 {
                        if s != 0 {
                            *mask |= 1 << k;
                        }
                        k += 1;
                        break;
                    }
                    r -= 1;
                }
                k += 1;
            }
        }
    }
    if *eobrun > 0 {
        while k <= last {
            if nz(*mask, k) {
                bits.skip(1)?;
            }
            k += 1;
        }
        *eobrun -= 1;
    }
    Ok(())
}

/// A canonical Huffman table with a 9-bit lookup for the common short codes.
struct Huffman {
    /// For each 9-bit prefix: (code length, symbol), or length 0 when the code is longer.
    fast: Vec<(u8, u8)>,
    /// For each 9-bit prefix read as an AC code: (code length + the coefficient's extra bits,
    /// the zero run before it) when both fit, or 0 when not (longer, or a symbol without a
    /// coefficient: end of block, ZRL).
    fast_ac: Vec<(u8, u8)>,
    /// Per length 1..=16: the largest code of that length (-1 when none) and the offset into
    /// `symbols` of its first code, relative to the first code.
    max_code: [i32; 17],
    offset: [i32; 17],
    symbols: Vec<u8>,
}

const FAST_BITS: u32 = 12;

impl Huffman {
    fn new(counts: &[u8], symbols: &[u8]) -> Result<Huffman, Failure> {
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut fast = vec![(0u8, 0u8); 1 << FAST_BITS];
        let (mut code, mut k) = (0i32, 0usize);
        for len in 1..=16 {
            let n = counts[len - 1] as usize;
            offset[len] = k as i32 - code;
            for _ in 0..n {
                if code >= 1 << len {
                    return Err("an over-full Huffman table");
                }
                if len as u32 <= FAST_BITS {
                    let shift = FAST_BITS - len as u32;
                    let start = (code as usize) << shift;
                    fast[start..start + (1 << shift)].fill((len as u8, symbols[k]));
                }
                code += 1;
                k += 1;
            }
            if n > 0 {
                max_code[len] = code - 1;
            }
            code <<= 1;
        }
        let fast_ac = fast
            .iter()
            .map(|&(len, rs)| {
                let (run, size) = (rs >> 4, rs & 15);
                if len > 0 && size > 0 && (len + size) as u32 <= FAST_BITS { (len + size, run) } else { (0, 0) }
            })
            .collect();
        Ok(Huffman { fast, fast_ac, max_code, offset, symbols: symbols.to_vec() })
    }

    fn decode(&self, bits: &mut Bits) -> Result<u8, Failure> {
        // A symbol and its extra bits take at most 32 bits: refill only below that.
        if bits.count < 32 {
            bits.fill();
        }
        let peek = bits.peek(FAST_BITS);
        let (len, symbol) = self.fast[peek as usize];
        if len > 0 && (len as u32) <= bits.count {
            bits.consume(len as u32);
            return Ok(symbol);
        }
        let mut code = 0i32;
        for len in 1..=16 {
            code = (code << 1) | bits.take(1)? as i32;
            if code <= self.max_code[len] {
                return Ok(self.symbols[(code + self.offset[len]) as usize]);
            }
        }
        Err("an invalid Huffman code")
    }
}

fn parse_dht(mut body: &[u8], tables: &mut [Option<Huffman>; 8]) -> Result<(), Failure> {
    while let Some(&tc_th) = body.first() {
        let counts = body.get(1..17).ok_or("bad DHT")?;
        let n: usize = counts.iter().map(|&c| c as usize).sum();
        let symbols = body.get(17..17 + n).ok_or("bad DHT")?;
        let slot = if tc_th >> 4 == 0 { 0 } else { 4 } + (tc_th & 3) as usize;
        tables[slot] = Some(Huffman::new(counts, symbols)?);
        body = &body[17 + n..];
    }
    Ok(())
}

/// Entropy-coded bits, with 0xFF00 unstuffed; stops at the first marker.
struct Bits<'a> {
    bytes: &'a [u8],
    pos: usize,
    acc: u64,
    count: u32,
    /// Where the marker that ended the data starts, once reached.
    marker_at: Option<usize>,
}

const RAN_OUT: Failure = "the data ends before the last block";

impl<'a> Bits<'a> {
    fn new(bytes: &'a [u8], pos: usize) -> Bits<'a> {
        Bits { bytes, pos, acc: 0, count: 0, marker_at: None }
    }

    fn fill(&mut self) {
        // The next eight bytes in one load when none is 0xFF (no stuffed byte, no marker): as
        // many whole bytes as fit.
        if self.count <= 56 && self.marker_at.is_none() {
            if let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
                let word = u64::from_be_bytes(chunk.try_into().expect("eight bytes"));
                // A zero byte in !word is a 0xFF byte in word.
                let has_ff = (!word).wrapping_sub(0x0101_0101_0101_0101) & word & 0x8080_8080_8080_8080 != 0;
                if !has_ff {
                    let n = (64 - self.count) / 8;
                    self.acc |= (word >> (64 - 8 * n)) << (64 - 8 * n - self.count);
                    self.pos += n as usize;
                    self.count += 8 * n;
                }
            }
        }
        while self.count <= 56 && self.marker_at.is_none() {
            let Some(&b) = self.bytes.get(self.pos) else {
                self.marker_at = Some(self.pos);
                break;
            };
            if b == 0xFF {
                match self.bytes.get(self.pos + 1) {
                    Some(0x00) => self.pos += 1,
                    _ => {
                        self.marker_at = Some(self.pos);
                        break;
                    }
                }
            }
            self.pos += 1;
            self.acc |= (b as u64) << (56 - self.count);
            self.count += 8;
        }
    }

    fn peek(&self, n: u32) -> u64 {
        self.acc >> (64 - n)
    }

    fn consume(&mut self, n: u32) {
        self.acc <<= n;
        self.count -= n;
    }

    fn take(&mut self, n: u32) -> Result<u32, Failure> {
        if n == 0 {
            return Ok(0);
        }
        if self.count < n {
            self.fill();
            if self.count < n {
                return Err(RAN_OUT);
            }
        }
        let v = self.peek(n) as u32;
        self.consume(n);
        Ok(v)
    }

    fn skip(&mut self, n: u32) -> Result<(), Failure> {
        self.take(n).map(drop)
    }

    /// Expects a restart marker: drops the padding bits and steps over the marker.
    fn restart(&mut self) -> Result<(), Failure> {
        self.fill();
        let at = self.marker_at.ok_or("a restart marker is missing")?;
        let mut m = at + 1;
        while self.bytes.get(m) == Some(&0xFF) {
            m += 1;
        }
        match self.bytes.get(m) {
            Some(0xD0..=0xD7) => {
                *self = Bits::new(self.bytes, m + 1);
                Ok(())
            }
            _ => Err(RAN_OUT),
        }
    }
}
