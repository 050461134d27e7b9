//! ImageLocality (`pkg/scheduler/framework/plugins/imagelocality/image_locality.go`): a node
//! that already has the pod's images scores higher, by their size and by how many nodes share
//! them (an image every node has does not pull the pod anywhere in particular).

use super::snapshot::NodeInfo;
use crate::api::pod;
use crate::value::Value;

const MB: i64 = 1024 * 1024;
/// `minThreshold`: below this, a node with the images scores as one without.
const MIN_THRESHOLD: i64 = 23 * MB;
/// `maxContainerThreshold`: per container, the sum that scores 100.
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/// `normalizedImageName`: an image without a tag is `:latest`.
pub fn normalized(image: &str) -> String {
    let colon = image.rfind(':');
    let slash = image.rfind('/');
    if colon.is_none() || colon <= slash {
        format!("{image}:latest")
    } else {
        image.to_string()
    }
}

/// The score of each feasible node, 0–100 (not normalized): the sum over the pod's containers
/// of `size × nodes with the image / all nodes` for the images the node has (`sumImageScores`,
/// `scaledImageScore`), clamped between the thresholds and scaled to 100
/// (`calculatePriority`). Sizes are the simulated registry's ([`crate::images::size`]).
pub fn score(nodes: &[NodeInfo], p: &Value, feasible: &[usize]) -> Vec<i64> {
    let containers = pod::containers(p);
    let images: Vec<(String, f64, usize)> = containers
        .iter()
        .map(|c| {
            let image = c.str_at("image");
            let name = normalized(image);
            let with = nodes.iter().filter(|n| n.images.contains(&name)).count();
            let size = crate::images::size(image) as f64;
            (name, size, with)
        })
        .collect();
    let total = nodes.len().max(1) as f64;
    let max = MAX_CONTAINER_THRESHOLD * containers.len() as i64;
    feasible
        .iter()
        .map(|&n| {
            let sum: i64 = images
                .iter()
                .filter(|(name, _, _)| nodes[n].images.contains(name))
                .map(|(_, size, with)| (size * (*with as f64 / total)) as i64)
                .sum();
            let sum = sum.clamp(MIN_THRESHOLD, max.max(MIN_THRESHOLD));
            if max <= MIN_THRESHOLD {
                0
            } else {
                100 * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn an_image_without_a_tag_is_latest() {
        assert_eq!(normalized("nginx"), "nginx:latest");
        assert_eq!(normalized("registry:5000/nginx"), "registry:5000/nginx:latest");
        assert_eq!(
            normalized("registry.k8s.io/nginx-slim:0.21"),
            "registry.k8s.io/nginx-slim:0.21"
        );
    }
}
