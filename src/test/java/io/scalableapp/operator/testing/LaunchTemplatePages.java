package io.scalableapp.operator.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * AWS's pages for a DescribeLaunchTemplates listing, which moto 5.1.1 cuts at MaxResults with no
 * NextToken: {@link FaultyAws} asks moto for everything and answers one page at a time, with the
 * NextToken AWS would give (an offset here; AWS's tokens are opaque).
 */
final class LaunchTemplatePages {
  private LaunchTemplatePages() {}

  /** A listing (not a lookup by name or id) that asks for pages. */
  static boolean applies(String action, String form) {
    return "DescribeLaunchTemplates".equals(action)
        && FaultyAws.param(form, "MaxResults") != null
        && FaultyAws.param(form, "LaunchTemplateName.1") == null
        && FaultyAws.param(form, "LaunchTemplateId.1") == null;
  }

  /** The request for every template: no page size, no token. */
  static byte[] everything(String form) {
    return Arrays.stream(form.split("&"))
        .map(
            pair -> {
              String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
              return name.equals("MaxResults")
                  ? "MaxResults=" + URLEncoder.encode("1000000", StandardCharsets.UTF_8)
                  : name.equals("NextToken") ? null : pair;
            })
        .filter(p -> p != null)
        .collect(Collectors.joining("&"))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The page the request asked for, out of moto's whole answer. */
  static byte[] page(byte[] all, String form) {
    try {
      int size = Integer.parseInt(FaultyAws.param(form, "MaxResults"));
      String token = FaultyAws.param(form, "NextToken");
      int from = token == null ? 0 : Integer.parseInt(token);
      var doc =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(all));
      Element root = doc.getDocumentElement();
      Element templates = child(root, "launchTemplates");
      List<Element> items = new ArrayList<>();
      for (Node n = templates.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals("item")) {
          items.add(e);
        }
      }
      for (int i = 0; i < items.size(); i++) {
        if (i < from || i >= from + size) {
          templates.removeChild(items.get(i));
        }
      }
      if (from + size < items.size()) {
        Element next = doc.createElement("nextToken");
        next.setTextContent(Integer.toString(from + size));
        root.appendChild(next);
      }
      var out = new ByteArrayOutputStream();
      TransformerFactory.newInstance()
          .newTransformer()
          .transform(new DOMSource(doc), new StreamResult(out));
      return out.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException("cannot page moto's DescribeLaunchTemplates answer", e);
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    throw new IllegalStateException("no " + name + " in moto's answer");
  }
}
