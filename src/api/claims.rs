//! What the API says about a PersistentVolumeClaim's class
//! (component-helpers/storage/volume/helpers.go).

use crate::value::Value;

/// The beta annotation that names a claim's class, read before `spec.storageClassName`.
pub const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

/// The API server's warning for a claim that uses it (pkg/api/persistentvolumeclaim/util.go).
pub const BETA_CLASS_WARNING: &str =
    "metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use \"storageClassName\" attribute instead";

/// `GetPersistentVolumeClaimClass` (and `GetPersistentVolumeClass`, the same for a PV): the
/// beta annotation when the key is there (even empty), else `spec.storageClassName`, else ""
/// (no class).
pub fn class(claim: &Value) -> &str {
    match claim
        .at("metadata.annotations")
        .and_then(|a| a.get(BETA_CLASS_ANNOTATION))
    {
        Some(v) => v.as_str().unwrap_or(""),
        None => claim.str_at("spec.storageClassName"),
    }
}

/// `PersistentVolumeClaimHasClass`: the annotation or `spec.storageClassName` is set (an empty
/// class counts: it asks for no class, and the default class is not given).
pub fn has_class(claim: &Value) -> bool {
    claim
        .at("metadata.annotations")
        .is_some_and(|a| a.get(BETA_CLASS_ANNOTATION).is_some())
        || claim.at("spec.storageClassName").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_annotation_wins() {
        let claim = crate::yaml::value_of(
            "metadata:\n  annotations:\n    volume.beta.kubernetes.io/storage-class: fast\nspec:\n  storageClassName: gp3\n",
        );
        assert_eq!(class(&claim), "fast");
        assert!(has_class(&claim));
        let plain = crate::yaml::value_of("spec:\n  storageClassName: gp3\n");
        assert_eq!(class(&plain), "gp3");
        assert!(!has_class(&crate::yaml::value_of("spec: {}\n")));
    }
}
