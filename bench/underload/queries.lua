-- wrk script of bench/underload: rotate through bench/queries' List
-- (TestUnderloadScriptListsTheQueries checks that it lists them all).
local paths = {
  "/api/search?q=%E6%B0%91%E7%94%9F&size=10",
  "/api/search?q=%E5%8F%91%E5%B1%95&size=10",
  "/api/search?q=%E6%94%B9%E9%9D%A9&size=10",
  "/api/search?q=%E5%B0%B1%E4%B8%9A&size=10",
  "/api/search?q=%E6%95%99%E8%82%B2&size=10",
  "/api/search?q=%E5%8C%BB%E7%96%97&size=10",
  "/api/search?q=%E5%85%BB%E8%80%81&size=10",
  "/api/search?q=%E7%A2%B3%E8%BE%BE%E5%B3%B0&size=10",
  "/api/search?q=%E7%A7%91%E6%8A%80%E5%88%9B%E6%96%B0&size=10",
  "/api/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4&size=10",
  "/api/search?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&size=10",
  "/api/search?q=%E5%9F%8E%E5%B8%82%E6%9B%B4%E6%96%B0&size=10",
  "/api/search?q=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&size=10",
  "/api/search?q=%E7%B2%AE%E9%A3%9F%E5%AE%89%E5%85%A8&size=10",
  "/api/search?q=%E7%BD%91%E6%A0%BC%E5%8C%96%E6%B2%BB%E7%90%86&size=10",
  "/api/search?q=%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B&size=10",
  "/api/search?q=%E5%85%A8%E8%BF%87%E7%A8%8B%E4%BA%BA%E6%B0%91%E6%B0%91%E4%B8%BB&size=10",
}
local i = 0
setup = function(thread)
  thread:set("start", math.random(#paths))
end
init = function(args)
  i = (start or 1) - 1
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
