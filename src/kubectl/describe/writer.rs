//! The output engine of `kubectl describe`: `prefixWriter` over one Go `text/tabwriter`
//! (describe.go `tabbedString`: minwidth 0, tabwidth 8, padding 2, pad with spaces, no flags).
//!
//! Lines are kept with their `\t` cell separators until [`Writer::finish`] (or a
//! [`Writer::flush`], as `DescribeEvents` does before its table) lays them out with tabwriter's
//! column blocks (`Writer.format` in text/tabwriter): column *k* is aligned over each maximal
//! run of consecutive lines that have a tab-terminated cell *k*; a cell is as wide as the widest
//! cell of its block plus 2; the text after a line's last tab is never padded, and a line
//! without a tab ends every block.

/// Text with `\t` between cells, laid out when flushed.
#[derive(Default)]
pub struct Writer {
    done: String,
    lines: Vec<String>,
    /// The line being written, until its newline.
    partial: String,
    /// Levels added to every write (`NewNestedPrefixWriter`).
    pub nest: usize,
}

impl Writer {
    /// `prefixWriter.Write`: `text` with `level` × two spaces before it (the prefix goes before
    /// the text of each call, not before each line the text has); a `\n` ends a line.
    pub fn write(&mut self, level: usize, text: impl AsRef<str>) {
        self.partial.push_str(&"  ".repeat(level + self.nest));
        self.push(text.as_ref());
    }

    /// `prefixWriter.WriteLine`: the text and a newline, with no prefix (a nested writer still
    /// adds its own).
    pub fn write_line(&mut self, text: impl AsRef<str>) {
        self.partial.push_str(&"  ".repeat(self.nest));
        self.push(text.as_ref());
        self.push("\n");
    }

    /// [`Writer::write`] of one whole line.
    pub fn line(&mut self, level: usize, text: impl AsRef<str>) {
        self.write(level, text);
        self.push("\n");
    }

    fn push(&mut self, text: &str) {
        let mut rest = text;
        while let Some(i) = rest.find('\n') {
            self.partial.push_str(&rest[..i]);
            self.lines.push(std::mem::take(&mut self.partial));
            rest = &rest[i + 1..];
        }
        self.partial.push_str(rest);
    }

    /// `tabwriter.Flush`: lay out what is buffered, so later lines start new column blocks.
    pub fn flush(&mut self) {
        let lines = std::mem::take(&mut self.lines);
        let cells: Vec<Vec<&str>> = lines.iter().map(|l| l.split('\t').collect()).collect();
        let mut widths = Vec::new();
        format(&cells, &mut widths, 0, cells.len(), &mut self.done);
    }

    /// Everything written, laid out (an unfinished last line is written as it is).
    pub fn finish(mut self) -> String {
        self.flush();
        let mut out = self.done;
        out.push_str(&self.partial);
        out
    }

    /// Everything written, with its tabs: what `DescribePodTemplate` gives a plain buffer.
    pub fn unaligned(self) -> String {
        let mut out = self.done;
        for l in self.lines {
            out.push_str(&l);
            out.push('\n');
        }
        out.push_str(&self.partial);
        out
    }
}

fn width(cell: &str) -> usize {
    cell.chars().count()
}

/// `Writer.format`: the column blocks of column `widths.len()` within lines `line0..line1`,
/// each formatted recursively for the columns to its right, with the lines between written out.
/// The recursion is bounded by the number of cells in a line.
fn format(lines: &[Vec<&str>], widths: &mut Vec<usize>, mut line0: usize, line1: usize, out: &mut String) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        // A cell in this column: the lines before the block are written, then the block.
        write_lines(lines, widths, line0, this, out);
        line0 = this;
        let mut w = 0;
        while this < line1 && column + 1 < lines[this].len() {
            w = w.max(width(lines[this][column]) + 2);
            this += 1;
        }
        widths.push(w);
        format(lines, widths, line0, this, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, widths, line0, line1, out);
}

/// `Writer.writeLines`: each cell padded to its column's width while there is one.
fn write_lines(lines: &[Vec<&str>], widths: &[usize], from: usize, to: usize, out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(j) {
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(cell))));
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::Writer;

    fn layout(lines: &[&str]) -> String {
        let mut w = Writer::default();
        for l in lines {
            w.line(0, l);
        }
        w.finish()
    }

    #[test]
    fn a_line_without_a_tab_ends_the_blocks() {
        assert_eq!(
            layout(&[
                "IP:\t10.0.0.1",
                "IPs:",
                "  IP:\t10.0.0.1",
                "Controlled By:\tStatefulSet/web"
            ]),
            "IP:  10.0.0.1\nIPs:\n  IP:           10.0.0.1\nControlled By:  StatefulSet/web\n"
        );
    }

    #[test]
    fn a_column_block_is_a_run_of_lines_with_that_cell() {
        // The second line has no tab-terminated second cell, so the first and third lines'
        // second cells are separate blocks while the first column spans all three.
        assert_eq!(
            layout(&["a:\tlong value\tx", "bb:\tv", "c:\tw\ty"]),
            "a:   long value  x\nbb:  v\nc:   w  y\n"
        );
    }

    #[test]
    fn trailing_cells_are_padded() {
        assert_eq!(layout(&["IP:\t", "Name:\tweb-0"]), "IP:    \nName:  web-0\n");
    }

    #[test]
    fn the_prefix_goes_before_each_write() {
        let mut w = Writer::default();
        w.write(2, "Type:\tEmptyDir\n    Medium:\t\n");
        w.write(0, "Labels:\t");
        w.write_line("<none>");
        assert_eq!(w.unaligned(), "    Type:\tEmptyDir\n    Medium:\t\nLabels:\t<none>\n");
    }

    #[test]
    fn flush_starts_new_blocks() {
        let mut w = Writer::default();
        w.line(0, "Name:\tweb-0");
        w.flush();
        w.line(0, "Events:\t<none>");
        assert_eq!(w.finish(), "Name:  web-0\nEvents:  <none>\n");
    }
}
