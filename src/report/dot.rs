//! The plan as a graph: Graphviz DOT, through petgraph.
//!
//! A reviewer often sees a plan best as a picture: mentors as boxes, recipients as
//! ellipses (unmatched ones dashed), each pair an edge labelled with its score and
//! drawn bold when kept from an earlier round. Nodes are mentors, then matched and
//! unmatched recipients, each in input order, and edges in recipient order, so the
//! text is deterministic. Render it with
//! `dot -Tsvg plan.dot > plan.svg`.

use petgraph::dot::Dot;
use petgraph::graph::{NodeIndex, UnGraph};

use super::{MatchReport, MatchStatus};

/// What a node of the DOT graph stands for.
enum Person {
    Mentor(String),
    Recipient { id: String, matched: bool },
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Person::Mentor(id) | Person::Recipient { id, .. } => f.write_str(id),
        }
    }
}

impl MatchReport {
    /// The plan as a Graphviz DOT graph (see the module docs); people are labelled by
    /// id (names stay out of it, as they stay out of the report unless asked).
    ///
    /// ```
    /// use peermatch::{Cohort, match_cohort};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["rehab"]}]
    /// }"#)?;
    /// let dot = match_cohort(&cohort).to_dot();
    /// assert!(dot.starts_with("graph {"));
    /// assert!(dot.contains("0 [ label = \"m1\" shape = box]"));
    /// assert!(dot.contains("0 -- 1 [ label = \"1.000\" ]"));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn to_dot(&self) -> String {
        let mut graph: UnGraph<Person, String> = UnGraph::new_undirected();
        let mentor: Vec<NodeIndex> = self
            .mentors
            .iter()
            .map(|l| graph.add_node(Person::Mentor(l.mentor.as_str().to_owned())))
            .collect();
        let index_of = |id: &str| {
            self.mentors
                .iter()
                .position(|l| l.mentor.as_str() == id)
                .expect("every matched mentor is in the loads")
        };
        // Matched recipients first, then the unmatched, each in input order; edge `i`
        // is `matches[i]`.
        for m in &self.matches {
            let r = graph.add_node(Person::Recipient {
                id: m.recipient.as_str().to_owned(),
                matched: true,
            });
            let label = format!("{:.3}", m.score);
            graph.add_edge(mentor[index_of(m.mentor.as_str())], r, label);
        }
        for u in &self.unmatched {
            graph.add_node(Person::Recipient {
                id: u.recipient.as_str().to_owned(),
                matched: false,
            });
        }
        let kept: Vec<bool> = self
            .matches
            .iter()
            .map(|m| m.status == MatchStatus::Kept)
            .collect();
        let edge_attr = |_, e: petgraph::graph::EdgeReference<'_, String>| {
            use petgraph::visit::EdgeRef;
            if kept[e.id().index()] {
                "style = bold".to_owned()
            } else {
                String::new()
            }
        };
        let node_attr = |_, (_, person): (NodeIndex, &Person)| match person {
            Person::Mentor(_) => "shape = box".to_owned(),
            Person::Recipient { matched: true, .. } => "shape = ellipse".to_owned(),
            Person::Recipient { matched: false, .. } => {
                "shape = ellipse, style = dashed".to_owned()
            }
        };
        format!(
            "{}",
            Dot::with_attr_getters(&graph, &[], &edge_attr, &node_attr)
        )
    }
}
