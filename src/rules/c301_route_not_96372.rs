//! C301 route-not-96372: an injection by a route 96372 does not cover.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;
use crate::lexicon::Route;

/// A code family: its description and a test for it on a charge line.
type Family = (&'static str, fn(&str) -> bool);

/// The code family that fits a route.
fn family(route: Route) -> Option<Family> {
    let f: Family = match route {
        Route::IvPush => ("96374-96376 (IV push)", |c| matches!(c.trim(), "96374" | "96375" | "96376")),
        Route::IV => ("96365-96368 (IV infusion) or 96374 (IV push)", |c| {
            matches!(c.trim(), "96365" | "96366" | "96367" | "96368" | "96360" | "96361" | "96374" | "96375" | "96376")
        }),
        Route::IntraArterial => ("96373 (intra-arterial)", |c| c.trim() == "96373"),
        Route::IntraArticular => ("20600-20611 (joint or bursa injection)", |c| {
            c.trim().parse::<u32>().is_ok_and(|n| (20600..=20611).contains(&n) || n == 20552 || n == 20553)
        }),
        Route::ID => ("86580 (TB skin test) or the intradermal test codes", |c| {
            matches!(c.trim(), "86580" | "95024" | "95027" | "95028")
        }),
        Route::Intralesional => ("11900-11901 (intralesional)", |c| matches!(c.trim(), "11900" | "11901")),
        _ => return None,
    };
    Some(f)
}

pub static C301: Rule = Rule {
    code: "C301",
    name: "route-not-96372",
    severity: Severity::Error,
    summary: "the injection's route is not SC or IM, so 96372 does not fit (IV push, infusion, intra-articular...)",
    doc: RuleDoc {
        what: "Fires when an injection is documented by a route other than subcutaneous or intramuscular (IV push, IV infusion, intra-arterial, intra-articular, intradermal, intralesional) and the claim is 96372: there are no charges, or 96372 is billed, and the charges do not already bill that route's own code. The message names the code family that fits.",
        why: "96372 is defined for subcutaneous and intramuscular injections only. CPT has its own codes for IV push (96374), infusion (96365-96368), intra-arterial injection (96373) and joint injection (20600-20611); billing 96372 for them is a coding error that payers deny or recoup.",
        fail: "01/05/2026 10:42. Ondansetron 4 mg given IV push for nausea with vomiting (R11.2), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Ondansetron 4 mg given IM in the left deltoid for nausea with vomiting (R11.2), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "bill the code of the route documented (the message names it), or correct the route if it was SC/IM",
    },
    check: |ctx| {
        let claim = Claim::new(&ctx.note.charges);
        if !claim.claims_96372() {
            return Vec::new();
        }
        for (span, route) in &ctx.extraction.routes {
            let Some((name, billed)) = family(*route) else { continue };
            if claim.bills(billed) {
                continue;
            }
            return vec![Emit {
                message: format!("route {} is not 96372 (SC/IM); {} fits", route.as_str(), name).into(),
                span: Some(span.clone()),
                help: Some(format!("bill {name} instead of 96372, or correct the route").into()),
            }];
        }
        Vec::new()
    },
};
