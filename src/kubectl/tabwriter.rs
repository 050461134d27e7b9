//! The table layout of `kubectl get`: liggitt/tabwriter with minwidth 6, tabwidth 4, padding 3,
//! padding with spaces (`cli-runtime/pkg/printers/tabwriter.go`): each column is as wide as its
//! widest cell plus 3 (at least 6); the last column is not padded.

/// Lay out rows of cells.
pub fn table(rows: &[Vec<String>]) -> String {
    layout(rows, 6, 3)
}

/// The `kubectl describe` layout: text/tabwriter with minwidth 0, padding 2.
pub fn describe_block(rows: &[Vec<String>]) -> String {
    layout(rows, 0, 2)
}

fn layout(rows: &[Vec<String>], min: usize, pad: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
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
