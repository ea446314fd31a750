import pytest

from lib.useragent import describe


@pytest.mark.parametrize(("agent", "words"), [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/18.0 Mobile/15E148 Safari/604.1", "iPhone · Safari"),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 "
     "Mobile/15E148 Safari/604.1", "iPad · Chrome"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
     "Safari/537.36 Edg/130.0.0.0", "Windows · Edge"),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 "
     "Chrome/121.0.0.0 Mobile Safari/537.36", "Android · Samsung Internet"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:131.0) Gecko/20100101 Firefox/131.0", "Mac · Firefox"),
    ("curl/8.5.0", "curl/8.5.0"),
    ("", ""),
])
def test_a_user_agent_in_words(agent, words):
    assert describe(agent) == words
