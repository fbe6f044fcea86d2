package io.weft.workflow.approvals;

import io.smallrye.mutiny.Uni;
import io.weft.contracts.problems.ProblemType;
import io.weft.platform.problems.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Where an approval's signed links lead (public: the gateway forwards {@code /approvals/respond}
 * without authentication; the link's signature is the authority). A GET only shows what the link
 * would do and a button; only the POST that button sends decides — mail scanners and link previews
 * that fetch every link decide nothing. An invalid link is a 404 problem; a link of an approval that
 * has its outcome says so on a page (409).
 */
@Path("/approvals/respond/{token}")
@Produces(MediaType.TEXT_HTML)
public class ApprovalLinksResource {
    private final ApprovalLinks links;
    private final ApprovalStore store;
    private final ApprovalDecisions decisions;

    ApprovalLinksResource(ApprovalLinks links, ApprovalStore store, ApprovalDecisions decisions) {
        this.links = links;
        this.store = store;
        this.decisions = decisions;
    }

    @GET
    @Operation(summary = "What an approval link would decide, with a button that decides (public; changes nothing)")
    public Uni<Response> show(@PathParam("token") String token) {
        ApprovalLinks.Link link = valid(token);
        return store.find(store.pool(), link.tenant(), link.approvalId(), false).map(found -> found.map(approval -> {
            if (!approval.pending()) {
                return page(409, "Nothing to decide", "<p>" + html(approval.message()) + "</p><p>This approval is "
                        + html(approval.status().replace('_', ' ')) + " already.</p>");
            }
            String verb = "approve".equals(link.decision()) ? "Approve" : "Reject";
            return page(200, verb + "?", "<p>" + html(approval.message()) + "</p>"
                    + "<form method=\"post\"><button type=\"submit\">" + verb + "</button></form>");
        }).orElseThrow(() -> ProblemException.notFound("approval " + link.approvalId())));
    }

    @POST
    @Operation(summary = "Decide as the approval link says (public; once)")
    public Uni<Response> decide(@PathParam("token") String token) {
        return decisions.decideByLink(valid(token))
                .map(approval -> page(200, "approved".equals(approval.status()) ? "Approved" : "Rejected",
                        "<p>" + html(approval.message()) + "</p><p>Thank you: the workflow goes on.</p>"))
                .onFailure(failure -> failure instanceof ProblemException problem && problem.status() == 409).recoverWithItem(failure ->
                        page(409, "Nothing to decide", "<p>" + html(failure.getMessage()) + "</p>"));
    }

    /** The link the token is; anything else is a 404 problem, as any bad input. */
    private ApprovalLinks.Link valid(String token) {
        return links.verify(token).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "this approval link is not valid: Weft did not make it, or it was cut short"));
    }

    private static Response page(int status, String title, String body) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<meta name=\"robots\" content=\"noindex\"><title>" + html(title) + "</title></head><body><h1>" + html(title) + "</h1>"
                + body + "</body></html>";
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(html)
                .header("Content-Security-Policy", "default-src 'none'; form-action 'self'").header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer").build();
    }

    /** Text made safe to put in HTML: the message holds what a run's data made of it. */
    static String html(String text) {
        StringBuilder safe = new StringBuilder(text == null ? 0 : text.length());
        for (char c : (text == null ? "" : text).toCharArray()) {
            switch (c) {
                case '&' -> safe.append("&amp;");
                case '<' -> safe.append("&lt;");
                case '>' -> safe.append("&gt;");
                case '"' -> safe.append("&quot;");
                case '\'' -> safe.append("&#39;");
                default -> safe.append(c);
            }
        }
        return safe.toString();
    }
}
