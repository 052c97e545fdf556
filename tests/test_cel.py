"""The CEL engine and the Kubernetes CEL libraries, against the semantics of their Go sources.

Expected values come from cel-go's ext/strings.go and the documentation
comments of k8s.io/apiserver/pkg/cel/library/{lists,regex,quantity,urls,ip,cidr}.go.
"""

from __future__ import annotations

import datetime

import pytest

from k8slint.kube import cel

pytestmark = pytest.mark.skipif(not cel.available(), reason="cel-expr-python needs Python 3.11+")


def run(expression, value=None, **variables):
    variables.setdefault("self", value)
    return cel.compile_expression(expression, variables).evaluate(variables)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # cel-go ext/strings.go
        ("'hello'.charAt(4)", "o"),
        ("'hello'.charAt(5)", ""),
        ("'hello mellow'.indexOf('ello')", 1),
        ("'hello mellow'.indexOf('ello', 2)", 7),
        ("'hello mellow'.indexOf('jello')", -1),
        ("'hello mellow'.lastIndexOf('ello')", 7),
        ("'hello mellow'.lastIndexOf('ello', 6)", 1),
        ("'TacoCat'.lowerAscii()", "tacocat"),
        ("'TacoCÆt Xii'.upperAscii()", "TACOCÆT XII"),
        ("'hello hello'.replace('he', 'we')", "wello wello"),
        ("'hello hello'.replace('he', 'we', 1)", "wello hello"),
        ("'hello hello'.replace('he', 'we', 0)", "hello hello"),
        ("'hello hello hello'.split(' ')", ["hello", "hello", "hello"]),
        ("'hello hello hello'.split(' ', 0)", []),
        ("'hello hello hello'.split(' ', 2)", ["hello", "hello hello"]),
        ("'hello hello hello'.split(' ', -1)", ["hello", "hello", "hello"]),
        ("'tacocat'.substring(4)", "cat"),
        ("'tacocat'.substring(0, 4)", "taco"),
        ("'  \\ttrim\\n    '.trim()", "trim"),
        ("['hello', 'mellow'].join()", "hellomellow"),
        ("['hello', 'mellow'].join(' ')", "hello mellow"),
        ("'%s is %d years, %.2f'.format(['Ann', 42, 1.5])", "Ann is 42 years, 1.50"),
        # lists.go
        ("[1, 2, 3].isSorted()", True),
        ("['c', 'a'].isSorted()", False),
        ("[1, 2, 3].sum()", 6),
        ("[1.5, 2.0].sum()", 3.5),
        ("[1, 2, 3].min()", 1),
        ("['b', 'c'].max()", "c"),
        ("[1, 2, 2, 3].indexOf(2)", 1),
        ("[1, 2, 2, 3].lastIndexOf(2)", 2),
        ("['a', 'b'].indexOf('z')", -1),
        # regex.go
        ("'abc 123'.find('[0-9]+')", "123"),
        ("'abc'.find('[0-9]+')", ""),
        ("'123 abc 456'.findAll('[0-9]+')", ["123", "456"]),
        ("'123 abc 456'.findAll('[0-9]+', 1)", ["123"]),
        # quantity.go
        ("isQuantity('1.3G')", True),
        ("isQuantity('1.3Gi ')", False),
        ("quantity('1Gi') == quantity('1024Mi')", True),
        ("quantity('50k').isInteger()", True),
        ("quantity('50m').isInteger()", False),
        ("quantity('50k').asInteger()", 50000),
        ("quantity('50m').asApproximateFloat()", 0.05),
        ("quantity('-50k').sign()", -1),
        ("quantity('0').sign()", 0),
        ("quantity('50k').add(quantity('20k')) == quantity('70k')", True),
        ("quantity('50k').add(20) == quantity('50020')", True),
        ("quantity('50k').sub(quantity('20k')) == quantity('30k')", True),
        ("quantity('50k').sub(20).asInteger()", 49980),
        ("quantity('200M').isLessThan(quantity('100M'))", False),
        ("quantity('200M').isGreaterThan(quantity('100M'))", True),
        ("quantity('200M').compareTo(quantity('0.2G'))", 0),
        ("quantity('50M').compareTo(quantity('100M'))", -1),
        # urls.go
        ("isURL('https://example.com:80/path?query=val#fragment')", False),  # ParseRequestURI: no fragment
        ("isURL('/absolute-path')", True),
        ("isURL('https://example.com')", True),
        ("isURL('example.com')", False),
        ("url('https://example.com:80/').getScheme()", "https"),
        ("url('https://example.com:80/').getHost()", "example.com:80"),
        ("url('https://[::1]:80/').getHost()", "[::1]:80"),
        ("url('https://[::1]:80/').getHostname()", "::1"),
        ("url('https://example.com:80/').getPort()", "80"),
        ("url('https://example.com/').getPort()", ""),
        ("url('https://example.com/path%20with%20spaces/').getEscapedPath()", "/path%20with%20spaces/"),
        ("url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()", {"k1": ["a"], "k2": ["b", "c"]}),
        # ip.go
        ("isIP('127.0.0.1')", True),
        ("isIP('::1')", True),
        ("isIP('127.0.0.256')", False),
        ("isIP('127.0.0.01')", False),  # netip: no leading zeros
        ("isIP('fe80::1%en0')", False),  # no zones
        ("isIP('::ffff:1.2.3.4')", False),  # no IPv4-mapped IPv6
        ("ip('127.0.0.1').family()", 4),
        ("ip('::1').family()", 6),
        ("ip('127.0.0.1').isLoopback()", True),
        ("ip('0.0.0.0').isUnspecified()", True),
        ("ip('224.0.0.1').isLinkLocalMulticast()", True),
        ("ip('224.0.1.1').isLinkLocalMulticast()", False),
        ("ip('169.254.169.254').isLinkLocalUnicast()", True),
        ("ip('192.168.0.1').isGlobalUnicast()", True),  # Go counts private ranges as global unicast
        ("ip('255.255.255.255').isGlobalUnicast()", False),
        ("ip('::1') == ip('0:0::1')", True),
        ("ip.isCanonical('2001:db8::abcd')", True),
        ("ip.isCanonical('2001:DB8::ABCD')", False),
        # cidr.go
        ("isCIDR('192.168.0.0/24')", True),
        ("isCIDR('192.168.0.0')", False),
        ("isCIDR('192.168.0.0/33')", False),
        ("cidr('192.168.0.0/24').containsIP('192.168.0.1')", True),
        ("cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))", False),
        ("cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')", True),
        ("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/16'))", False),
        ("cidr('192.168.0.1/24').ip() == ip('192.168.0.1')", True),
        ("cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", True),
        ("cidr('::1/128').prefixLength()", 128),
    ],
)
def test_library_functions(expression, expected):
    assert run(expression) == expected


@pytest.mark.parametrize(
    ("expression", "error"),
    [
        ("'hello'.charAt(6)", "out of range"),
        ("'tacocat'.substring(40)", "out of range"),
        ("[].min()", "empty list"),
        ("quantity('12 Gi')", "quantities must match"),
        ("quantity('1.5').asInteger()", "cannot convert"),
        ("url('example.com')", "URL parse error"),
        ("ip('::ffff:1.2.3.4')", "IPv4-mapped"),
        ("cidr('10.0.0.0')", "parse error"),
        ("1 / 0", "divide by zero"),
        ("self.missing == 1", "missing"),
    ],
)
def test_runtime_errors(expression, error):
    with pytest.raises(cel.CelEvalError, match=error):
        run(expression, {"present": 1})


def test_macros_optionals_and_yaml_values():
    value = {"items": [{"name": "a"}, {"name": "b"}], "when": datetime.date(2024, 1, 2)}
    assert run("self.items.all(i, self.items.exists_one(j, i.name == j.name))", value) is True
    assert run("self.items.map(i, i.name)", value) == ["a", "b"]
    assert run("self.items.filter(i, i.name != 'a').size()", value) == 1
    assert run("self.items.map(i, i.name != 'a', i.name)", value) == ["b"]
    assert run("has(self.items) && !has(self.other)", value) is True
    assert run("self.?other.orValue('none')", value) == "none"
    assert run("self.when", value) == "2024-01-02"  # the string the API server receives
    assert run("oldSelf.size() <= self.size()", [1, 2], oldSelf=[1]) is True


def test_compile_errors_name_what_is_wrong():
    with pytest.raises(cel.CelSyntaxError, match="Syntax error"):
        cel.compile_expression("self.a ==", ["self"])
    with pytest.raises(cel.CelSyntaxError, match="undeclared reference to 'other"):
        cel.compile_expression("other.a == 1", ["self"])
    with pytest.raises(cel.CelUnsupported, match=r"format\.dns1123Label\(\)"):
        cel.compile_expression("!format.dns1123Label().validate(self).hasValue()", ["self"])
    with pytest.raises(cel.CelUnsupported, match=r"frobnicate\(\)"):
        cel.compile_expression("self.frobnicate()", ["self"])


def test_compiled_programs_are_memoised():
    assert cel.compile_expression("self > 1", ["self"]) is cel.compile_expression("self > 1", ("self",))


def test_pathological_expression_stops_at_the_cost_limit():
    program = cel.compile_expression("self.all(x, self.all(y, self.all(z, x + y + z >= 0)))", ["self"])
    assert program.evaluate({"self": [1, 2, 3]}) is True
    with pytest.raises(cel.CelCostExceeded, match="exceeds the limit of 1,000,000"):
        program.evaluate({"self": list(range(500))})
    with pytest.raises(cel.CelCostExceeded):
        program.evaluate({"self": [1, 2, 3]}, cost_limit=10)
