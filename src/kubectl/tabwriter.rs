//! The table layout of `kubectl get`: liggitt/tabwriter with minwidth 6, tabwidth 4, padding 3,
//! padding with spaces (`cli-runtime/pkg/printers/tabwriter.go`): each column is as wide as its
//! widest cell plus 3 (at least 6); the last column is not padded.

/// Lay out rows of cells.
pub fn table(rows: &[Vec<String>]) -> String {
    Remembered::default().table(rows)
}

/// The writer of `kubectl get --watch`: one tabwriter for the whole session, flushed after
/// every event, with `RememberWidths` (liggitt/tabwriter): a column is as wide as the widest
/// cell it has had, so columns grow when a wider cell comes and never shrink, and rows printed
/// before keep their layout.
#[derive(Debug, Clone, Default)]
pub struct Remembered {
    widths: Vec<usize>,
}

impl Remembered {
    /// Lay out one flush of rows.
    pub fn table(&mut self, rows: &[Vec<String>]) -> String {
        layout(rows, 6, 3, &mut self.widths)
    }
}

/// The `kubectl describe` layout: text/tabwriter with minwidth 0, padding 2.
pub fn describe_block(rows: &[Vec<String>]) -> String {
    layout(rows, 0, 2, &mut Vec::new())
}

fn layout(rows: &[Vec<String>], min: usize, pad: usize, widths: &mut Vec<usize>) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if widths.len() < cols {
        widths.resize(cols, 0);
    }
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max((cell.chars().count() + pad).max(min));
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let n = widths[i].saturating_sub(cell.chars().count());
                line.push_str(&" ".repeat(n));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn watch_columns_grow_and_never_shrink() {
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<String>>();
        let mut w = super::Remembered::default();
        let first = w.table(&[row(&["NAME", "STATUS", "AGE"]), row(&["web-0", "Pending", "0s"])]);
        assert_eq!(first, "NAME    STATUS    AGE\nweb-0   Pending   0s\n");
        assert_eq!(
            w.table(&[row(&["web-0", "ContainerCreating", "0s"])]),
            "web-0   ContainerCreating   0s\n"
        );
        assert_eq!(
            w.table(&[row(&["web-0", "Running", "19s"])]),
            "web-0   Running             19s\n"
        );
    }

    #[test]
    fn kubectl_get_pods_layout() {
        let rows = vec![
            vec![
                "NAME".into(),
                "READY".into(),
                "STATUS".into(),
                "RESTARTS".into(),
                "AGE".into(),
            ],
            vec!["web-0".into(), "1/1".into(), "Running".into(), "0".into(), "1m".into()],
        ];
        assert_eq!(
            super::table(&rows),
            "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          1m\n"
        );
    }
}
