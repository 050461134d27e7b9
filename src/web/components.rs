//! One component a file, named for its role.

pub mod cluster_pane;
pub mod console_pane;
pub mod editor_pane;
pub mod header;
pub mod hover;
pub mod lesson_drawer;
pub mod timeline_pane;
